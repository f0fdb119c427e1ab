"""English dates for readers in China, Russia and Kazakhstan, not in the United States.

Django's `en` formats are American: 12/06/2026 reads as 12 June in Moscow and "2:30 p.m."
sits beside the 24-hour "14:30" of the other languages. Day-month-year with the month's name
cannot be misread, and 24-hour time matches zh-hans and ru. Only what differs from Django's
`en` module is set here; the rest (number separators, input formats) falls through to it.
"""

DATE_FORMAT = "j M Y"  # 6 Dec 2026
SHORT_DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j M Y, H:i"  # 6 Dec 2026, 14:30
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"  # 6 December
FIRST_DAY_OF_WEEK = 1  # Monday, as in China and Russia
