"""`sandbox practise TRAINEE`: write a trainee's next exercise, aimed at what they still miss
(docs/adaptive.md); with --class, from a class's gradebook, for one trainee or all."""

from __future__ import annotations

import argparse


def cmd_practise(args: argparse.Namespace) -> int:
    if args.class_file:
        from sandbox.classmode.classroom import Classroom
        from sandbox.classmode.practice import issue_practice

        classroom = Classroom.open(args.class_file, args.gradebook)
        try:
            written = issue_practice(classroom, None if args.trainee == "all" else [args.trainee],
                                     folder=args.out, lang=args.lang)
        finally:
            classroom.close()
        if not written:
            print("还没有学员做完任何环节，没有生成练习" if args.lang == "zh"
                  else "no trainee has a scored stage yet: nothing written")
    else:
        from sandbox.course.my_report import own_work
        from sandbox.gradebook.practice import write_practice
        from sandbox.gradebook.store import Gradebook

        with Gradebook(args.gradebook) as book:  # the course's reference play is not the trainee's
            written = [write_practice(book, args.trainee, args.out, base=args.base, lang=args.lang,
                                      own_work=own_work)]
    for practice in written:
        print(practice.message())
        if args.show_mastery:
            print(mastery_table(practice, args.lang))
    if written and not args.class_file:
        print(("开始练习：在笔记本里运行 s = Session.start(r\"{path}\", trainee=\"{trainee}\", gradebook=True)"
               if args.lang == "zh" else "start it in a notebook: s = Session.start(r\"{path}\", "
               "trainee=\"{trainee}\", gradebook=True)").format(path=written[0].path, trainee=args.trainee))
    return 0


def mastery_table(practice: object, lang: str) -> str:
    """The trainee's mastery as lines: skill, mean, credible interval, cases."""
    from sandbox.platform.mastery import weakest

    lines = []
    for m in weakest(practice.plan.mastery):  # type: ignore[attr-defined]
        row = m.as_dict(lang)
        lines.append(f"  {row['name']}: {row['mean']:.2f} [{row['low']:.2f}, {row['high']:.2f}] "
                     f"{'案例' if lang == 'zh' else 'cases'} {row['cases']:g}")
    return "\n".join(lines)


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("practise", help="write a trainee's next exercise, aimed at what they still miss "
                       "(docs/adaptive.md)")
    p.add_argument("trainee", metavar="TRAINEE", help="the trainee's name in the gradebook (with --class: "
                   "their trainee id, or all)")
    p.add_argument("--class", dest="class_file", metavar="CLASS.yaml",
                   help="a class: its gradebook, and its scenario as the base")
    p.add_argument("--gradebook", metavar="URL", default=None,
                   help="a gradebook file or SQLAlchemy URL (default: your own local gradebook, or the class's)")
    p.add_argument("--base", metavar="SCENARIO", default=None,
                   help="the scenario to extend (default: the one the trainee's last attempt was made from)")
    p.add_argument("--out", metavar="FOLDER", default=None,
                   help="where to write it (default: the practice folder beside the gradebook; "
                        "with --class, practice/<class id>/ beside the class file)")
    p.add_argument("--show-mastery", action="store_true", help="also print the mastery of every skill")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.set_defaults(func=cmd_practise)
