#!/usr/bin/env python3
"""Includes only point down: no file of a lower folder includes one of a higher folder.

The engine's folders, lowest first (docs/ARCHITECTURE.md explains each):
  core (engine/*.h) < settings < model, data < training < io < analysis < lab
Folders on the same rank may not include each other either (model and data are independent).
The same rule in ui/: common, widgets < run (the displayed run and its worker thread) < plots
< export, sweep, lessons < the window (ui/*.cpp, ui/*.h).
Prints every offending include as FILE:LINE and exits 1 when there is one.
"""
import os
import re
import sys

ENGINE_RANKS = {'': 0, 'settings': 1, 'model': 2, 'data': 2, 'training': 3, 'io': 4,
                'analysis': 5, 'lab': 6}
UI_RANKS = {'common': 0, 'widgets': 0, 'run': 1, 'plots': 2, 'export': 3, 'sweep': 3, 'lessons': 3,
            'theory': 3, '': 4}
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def group_of(relative_path):
    parts = relative_path.split('/')
    return parts[0] if len(parts) > 1 else ''


def check(root, top, ranks):
    problems = []
    base = os.path.join(root, top)
    for folder, _, files in os.walk(base):
        for name in sorted(files):
            if not name.endswith(('.h', '.cpp')):
                continue
            path = os.path.join(folder, name)
            own = group_of(os.path.relpath(path, base))
            if own not in ranks:
                problems.append(f'{path}: folder "{own}" has no rank in check_layers.py')
                continue
            with open(path, encoding='utf-8') as source:
                for number, line in enumerate(source, 1):
                    match = INCLUDE.match(line)
                    if not match:
                        continue
                    target = os.path.normpath(os.path.join(folder, match.group(1)))
                    if not os.path.exists(target):
                        target = os.path.join(base, match.group(1))
                    if not os.path.exists(target) or not target.startswith(base + os.sep):
                        continue  # another top-level folder's header (ui -> engine is allowed)
                    other = group_of(os.path.relpath(target, base))
                    if other == own or other not in ranks:
                        continue
                    if ranks[other] >= ranks[own]:
                        problems.append(f'{path}:{number}: {top}/{own or "(top)"} includes '
                                        f'{top}/{other or "(top)"}/.. ({match.group(1)}): '
                                        'includes must point down')
    return problems


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..')
    root = os.path.abspath(root)
    problems = check(root, 'engine', ENGINE_RANKS) + check(root, 'ui', UI_RANKS)
    for problem in problems:
        print(problem)
    print(f'check_layers: {len(problems)} include(s) pointing up')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
