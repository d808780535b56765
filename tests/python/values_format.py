# format() specs and printf-style % formatting, as CPython 3.11 writes them.
print(format(3.14159, '.2f'), format(42, '5d'), format(42, '<5d') + '|', format(42, '^7') + '|')
print(format(1234567.891, ',.2f'), format(1234567, ','), format(1234567, '_'), format(255, 'x'))
print(format(255, '#X'), format(255, '#o'), format(5, '08b'), format(-42, '+d'), format(42, '+d'))
print(format(0.5, '%'), format(0.25, '.1%'), format(12345.678, 'e'), format(12345.678, '.3E'))
print(format(0.00001234, 'g'), format(123456789.0, 'g'), format(3.0, ''), format(1e16, ''))
print(format('hi', '>6') + '|', format('hi', '*^8'), format('hello', '.3'), format('x', '<3') + '|')
print(format(-3.5, '010.2f'), format(3.5, ' .1f'), format(True, ''), format(None, ''))
print(format(65, 'c'), format(7, '03'), format(-7, '03'), format(2.5, '08.3f'))
print('%d items' % 5, '%5.2f|%-5d|%x|%r|%c|%%|%e|%g' % (3.14159, 42, 255, 'a', 65, 12345.678, 0.00001))
print('%s and %s' % ('a', [1, 'b']), '%05d' % -42, '%+d' % 7, '%10s|' % 'right', '%-10s|' % 'left')
print('%.3s' % 'abcdef', '%o' % 8, '%X' % 255, '%#x' % 255, '%i' % 3.9, '%s' % (1,), '%s' % None)
print('%.1f%%' % 99.5, '%3d%%' % 7, '%f' % 2, '%.0f' % 0.5, '%.0f' % 1.5)
print(str(1.0), str(100.0), repr(1e-4), 2.5e-5, 1.0e100, 12345678901234567.0, 0.1 * 3)
for bad in [lambda: format(1, '.2d'), lambda: format('s', 'd'), lambda: '%d' % 'x',
            lambda: '%s %s' % (1,), lambda: '%s' % (1, 2)]:
    try:
        bad()
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
