"""``python -m lstm_grade.authoring [ROOT]``: update the catalogs, rebuild solutions/, regenerate exercises/.

``python -m lstm_grade.authoring i18n``: only bring the exercise catalogs
(``gbg_i18n/locale/ko/LC_MESSAGES/assignments/<name>.po``) in line with the specs.
"""
import sys

from .build import generate_all
from .i18n import update_catalogs


def main(argv: list[str]) -> int:
    if argv[:1] == ["i18n"] and len(argv) == 1:
        for path in update_catalogs():
            print(path)
        return 0
    if len(argv) > 1 or argv[:1] == ["i18n"]:
        print("usage: python -m lstm_grade.authoring [COURSE_ROOT]\n"
              "       python -m lstm_grade.authoring i18n", file=sys.stderr)
        return 2
    for path in generate_all(argv[0] if argv else None):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
