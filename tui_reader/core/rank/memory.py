"""Keeping the ranker's memory small: arrays that give their pages back, freed memory returned."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def in_own_pages(values: np.ndarray) -> np.ndarray:
    """A copy of `values` in an anonymous memory map: returned to the system the moment the
    array is dropped. From the heap, 5 MB of each model replaced by a retraining stayed with
    the process (glibc serves arrays of this size from its heap once it has seen them come
    and go, and gives back only what lies at the heap's top)."""
    import mmap

    import numpy as np

    if values.nbytes < mmap.PAGESIZE:
        return values.copy()
    private = getattr(mmap, "MAP_PRIVATE", None)  # not on Windows, whose anonymous maps are private
    pages = mmap.mmap(-1, values.nbytes) if private is None else mmap.mmap(-1, values.nbytes, flags=private)
    copy = np.frombuffer(pages, dtype=values.dtype, count=values.size).reshape(values.shape)
    copy[...] = values
    return copy


def give_back_freed_memory() -> None:
    """Return the training's freed arrays to the system. glibc keeps freed blocks of this
    size in the process's heap once it has seen such blocks come and go (its mmap threshold
    rises), so each training would leave tens of megabytes of RSS behind without this."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        trim = getattr(libc, "malloc_trim", None)
        if trim is not None:
            trim(0)
    except OSError:
        pass  # not glibc: nothing to ask
