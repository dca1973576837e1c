"""``python -m lstm_grade.authoring [ROOT]``: rebuild solutions/, then regenerate exercises/."""
import sys

from .build import generate_all


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        print("usage: python -m lstm_grade.authoring [COURSE_ROOT]", file=sys.stderr)
        return 2
    for path in generate_all(argv[0] if argv else None):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
