"""Article numbers follow from position, never typed.

An article's number is the dotted path of its 1-based rank among its siblings: the third
child of the first article's third child is "1.3.3". Pure functions, no database.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple


class Node(NamedTuple):
    id: int
    parent_id: int | None
    position: int


def number_tree(nodes: Iterable[Node]) -> list[tuple[int, str, int]]:
    """(id, number, depth) for every node, in document order.

    >>> number_tree([Node(1, None, 0), Node(2, 1, 5), Node(3, 1, 2), Node(4, None, 1)])
    [(1, '1', 0), (3, '1.1', 1), (2, '1.2', 1), (4, '2', 0)]
    """
    children = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)
    for siblings in children.values():
        siblings.sort(key=lambda n: (n.position, n.id))

    result = []

    def walk(parent_id, prefix, depth):
        for rank, node in enumerate(children.get(parent_id, ()), start=1):
            number = f"{prefix}{rank}"
            result.append((node.id, number, depth))
            walk(node.id, f"{number}.", depth + 1)

    walk(None, "", 0)
    return result
