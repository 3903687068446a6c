# Django's Arabic formats define no date-and-time format, so a time shown with its day fell back to the English
# default ("N j, Y, P": "ديسمبر 6, 2026, 5:02 ص"). Day, month, year, then the time, as Django's Arabic date.
DATETIME_FORMAT = "j F، Y، g:i A"
SHORT_DATETIME_FORMAT = "d‏/m‏/Y g:i A"
