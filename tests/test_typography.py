import pytest

from newsroom.typography import NBSP, NNBSP, french, french_html


@pytest.mark.parametrize(
    ("typed", "set"),
    [
        (
            "Provence – Montréal : 1,2 milliard d'euros !",
            f"Provence – Montréal{NNBSP}: 1,2{NBSP}milliard d’euros{NNBSP}!",
        ),
        ("« Il faut accélérer »", f"«{NNBSP}Il faut accélérer{NNBSP}»"),
        ("«Vite»", f"«{NNBSP}Vite{NNBSP}»"),
        ("60 000 bouteilles", f"60{NNBSP}000{NBSP}bouteilles"),
        ("12 millions", f"12{NBSP}millions"),
        ("une hausse de 4 %", f"une hausse de 4{NBSP}%"),
        ("30 € le mètre", f"30{NBSP}€ le mètre"),
        ("Pourquoi? Parce que; voilà!", f"Pourquoi{NNBSP}? Parce que{NNBSP}; voilà{NNBSP}!"),
        ("Montréal: une étape", f"Montréal{NNBSP}: une étape"),
        ("Rendez-vous à 10:30", "Rendez-vous à 10:30"),
    ],
)
def test_french_typography(typed, set):
    assert french(typed) == set


def test_french_typography_is_idempotent():
    once = french("Provence – Montréal : 1,2 milliard d'euros ! « Oui » 60 000 €")
    assert french(once) == once


def test_urls_and_addresses_are_left_alone():
    text = "Voir https://exemple.fr/page?x=1 ou www.exemple.fr; écrire à nom@exemple.fr"
    assert french(text) == (
        "Voir https://exemple.fr/page?x=1 ou www.exemple.fr; écrire à nom@exemple.fr"
    )


def test_html_text_changes_but_not_tags_attributes_or_code():
    html = (
        '<p>Montréal : l\'export <a href="https://x.fr/?a=1" title="a : b">lien !</a> '
        "<code>a : b; c?</code> &amp; fin&nbsp;!</p><pre>x : y</pre>"
    )
    assert french_html(html) == (
        f'<p>Montréal{NNBSP}: l’export <a href="https://x.fr/?a=1" title="a : b">lien{NNBSP}!</a> '
        f"<code>a : b; c?</code> &amp; fin{NNBSP}!</p><pre>x : y</pre>"
    )
