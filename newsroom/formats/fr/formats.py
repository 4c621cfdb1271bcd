# French formats, where Django's differ from French typography: narrow no-break spaces
# between groups of digits (3 000), and times written "10 h 30".
DATETIME_FORMAT = "j F Y à H\xa0\\h\xa0i"
TIME_FORMAT = "H\xa0\\h\xa0i"
SHORT_DATETIME_FORMAT = "d/m/Y H\xa0\\h\xa0i"
THOUSAND_SEPARATOR = "\u202f"
NUMBER_GROUPING = 3
