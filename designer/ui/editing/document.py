"""The open document: one pathway, its file, its undo stack and its safety nets.

A :class:`Document` knows whether it has unsaved changes (from the undo
stack's clean state), saves through :mod:`designer.graph.io`, writes a crash
recovery copy about two seconds after the last edit (at most ten seconds into a
run of edits, and every 30 seconds as a backstop) while unsaved, and notices
when its file is changed on disk by another program.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from designer.graph.blank import blank_pathway, place_unpositioned_steps
from designer.graph.model import Pathway
from designer.ui.editing import recovery

UNTITLED_NAME = "Untitled.yaml"

def _text_signature(text: str) -> tuple[int, str]:
    """What :func:`_file_signature` gives for a file holding ``text`` (UTF-8)."""
    data = text.encode("utf-8")
    return len(data), hashlib.sha256(data).hexdigest()


def _write_pathway(pathway: Pathway, target: Path) -> tuple[int, str]:
    """Serialise and write a snapshot (in the writer thread); the written file's signature.

    A large file's model also goes into the parsed-pathway cache for the bytes written,
    so opening it again skips the YAML (a cache that cannot be written changes nothing).
    """
    from designer.graph import cache
    from designer.graph.io import PathwaySaveError, saved_text, write_text_atomic

    try:
        # canonical text, or the file's own layout kept where nothing changed
        text = saved_text(pathway, target)
    except Exception as exc:  # pragma: no cover - a bug, but never lose the old file
        raise PathwaySaveError(f"Could not prepare {target.name} for saving: {exc}") from exc
    write_text_atomic(target, text)
    cache.store_saved(text, pathway)
    return _text_signature(text)


def _file_signature(path: Path) -> tuple[int, str] | None:
    """(size, sha256) of a file, or None when it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return len(data), hashlib.sha256(data).hexdigest()


class Document(QObject):
    """One pathway being edited.

    Attributes
    ----------
    pathway : Pathway
        The model; edit it only through undo commands.
    path : Path or None
        The file it was opened from or last saved to; None while untitled.
    undo_stack : QUndoStack
        Every edit; its clean state is the saved state.
    """

    dirty_changed = Signal(bool)
    path_changed = Signal(object)
    changed_on_disk = Signal()
    autosaved = Signal(str)
    autosave_failed = Signal(str)
    #: a save has ended (True: written; False: failed, the document unchanged)
    save_finished = Signal(bool)

    AUTOSAVE_INTERVAL_MS = 30_000
    #: recovery copy this long after the last edit (a pause in editing)...
    RECOVERY_DELAY_MS = 2_000
    #: ...but never later than this after the first unsaved edit of a busy spell
    RECOVERY_MAX_WAIT_MS = 10_000

    def __init__(self, pathway: Pathway, path: str | Path | None = None,
                 parent: QObject | None = None, *, recovered: bool = False) -> None:
        super().__init__(parent)
        self.pathway = pathway
        self.path: Path | None = Path(path).resolve() if path else None
        self.undo_stack = QUndoStack(self)
        self.recovery_id = uuid.uuid4().hex[:16]
        recovery.LIVE_IDS.add(self.recovery_id)
        self.destroyed.connect(lambda *_a, rid=self.recovery_id: recovery.LIVE_IDS.discard(rid))
        self._forced_dirty = recovered
        # recovery files this document took over (after a crash) but could not yet
        # rewrite under its own id: removed with its own on a clean save or close
        self._inherited_recovery: list[str] = []
        self._was_dirty = self.dirty
        #: the last finished simulation (a designer.sim.record.SimulationRecord) or None;
        #: reuse it only while ``last_simulation.matches(self.pathway)``
        self.last_simulation = None
        self._signature = _file_signature(self.path) if self.path else None
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)

        self._saving = 0   # saves under way in the writer thread
        self._checking_disk = False   # Save reading the file on disk in the writer
        self._revision = 0   # model events so far (did it change while a save ran?)
        self._copies_pending = 0          # recovery copies given to the writer, not yet back
        self._copied_revision: int | None = None   # the state the last copy holds
        pathway.subscribe(self._count_edit)
        self._closed = False
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setInterval(self.AUTOSAVE_INTERVAL_MS)
        self._autosave_timer.timeout.connect(self.autosave_in_background)
        self._autosave_timer.start()
        # debounced: each edit, undo or redo restarts it; it fires from the event
        # loop (never inside a paint or a command) and the writer does the work
        self._recovery_timer = QTimer(self)
        self._recovery_timer.setSingleShot(True)
        self._recovery_timer.timeout.connect(self._recovery_due)
        self._pending_since: float | None = None
        self._recovery_in_flight = False
        self._recovery_again = False
        self.undo_stack.indexChanged.connect(self._edited)

        self._watcher: QFileSystemWatcher | None = None
        self._watch()

    # ----------------------------------------------------------------- creation

    @classmethod
    def new_untitled(cls, parent: QObject | None = None) -> "Document":
        return cls(blank_pathway(), None, parent)

    @classmethod
    def open(cls, path: str | Path, parent: QObject | None = None) -> "Document":
        """Open a pathway file; raises ``PathwayLoadError`` with a message for people."""
        return cls(cls.read(path), path, parent)

    @staticmethod
    def read(path: str | Path) -> Pathway:
        """The pathway :meth:`open` shows, read from ``path`` (model code only: a worker
        thread may call it); raises ``PathwayLoadError`` with a message for people."""
        from designer.graph.io import load_pathway

        pathway = load_pathway(str(path))
        place_unpositioned_steps(pathway)
        return pathway

    @classmethod
    def from_recovery(cls, entry: recovery.RecoveryEntry, parent: QObject | None = None
                      ) -> "Document":
        """A document restored from a recovery file: unsaved until the user saves it."""
        from designer.graph.io import PathwayLoadError, loads_pathway

        try:
            data = entry.yaml_path.read_bytes()
        except OSError as exc:
            raise PathwayLoadError(f"Cannot read the recovery file {entry.yaml_path}: "
                                   f"{exc.strerror or exc}") from None
        pathway = None
        if entry.is_json:
            from designer.graph.cache import pathway_from_json

            try:
                pathway = pathway_from_json(data)
            except Exception:  # noqa: BLE001 - damaged: the YAML reader names the problem
                pathway = None
        if pathway is None:
            # an earlier version's YAML (or damaged JSON, which YAML reads as well):
            # bytes, so the reader explains a binary or badly encoded file itself
            pathway = loads_pathway(data, name=str(entry.yaml_path))
        place_unpositioned_steps(pathway)
        doc = cls(pathway, entry.original_path, parent, recovered=True)
        # The changes were made to the version of the file recorded at autosave; if
        # another program changed the file since, saving asks before overwriting.
        if entry.disk_signature is not None:
            doc._signature = entry.disk_signature
        # the old recovery file goes only once the work is safe in the new one
        if doc.autosave_now() is not None:
            entry.discard()
        else:
            doc._inherited_recovery.append(entry.recovery_id)
        return doc

    # -------------------------------------------------------------------- state

    @property
    def dirty(self) -> bool:
        """True while there are changes not yet saved."""
        return self._forced_dirty or not self.undo_stack.isClean()

    def current_simulation(self):
        """The last simulation's record while the pathway is unchanged since; else None."""
        record = self.last_simulation
        return record if record is not None and record.matches(self.pathway) else None

    @property
    def display_name(self) -> str:
        return self.path.name if self.path else UNTITLED_NAME

    def _count_edit(self, _event) -> None:
        self._revision += 1

    def _on_clean_changed(self, _clean: bool) -> None:
        self._emit_dirty()

    def _emit_dirty(self) -> None:
        now = self.dirty
        if now != self._was_dirty:
            self._was_dirty = now
            self.dirty_changed.emit(now)
        if not now:
            self._remove_recovery_files()

    def _remove_recovery_files(self) -> None:
        recovery.remove_recovery(self.recovery_id)
        for inherited in self._inherited_recovery:
            recovery.remove_recovery(inherited)
        self._inherited_recovery.clear()

    # ------------------------------------------------------------------- saving

    def save(self, path: str | Path | None = None) -> Path:
        """Save to ``path`` (or the current file). Raises ``PathwaySaveError``/``OSError``.

        The pathway is copied here and written by the background writer
        (:mod:`designer.ui.editing.writer`); this returns when the file is written,
        the window painting meanwhile. On failure nothing changes: the document
        stays unsaved.
        """
        from designer.ui.editing import writer

        target = Path(path).resolve() if path else self.path
        if target is None:
            raise ValueError("an untitled document needs a file name")
        snapshot, at = self.pathway.snapshot(), self._revision
        self._saving += 1
        job = None
        try:
            job = writer.submit(lambda: _write_pathway(snapshot, target), self)
            writer.wait(job)
        finally:
            self._saving -= 1
            if job is None or job.error is not None:
                self.save_finished.emit(False)
        if job.error is not None:
            raise job.error
        moved = target != self.path
        self.path = target
        self._signature = job.result
        if self._revision == at:
            self._forced_dirty = False
            self.undo_stack.setClean()
            self._emit_dirty()
            self._remove_recovery_files()
        # else: edited while the file was written; the file holds the state as it was
        # when Save was chosen, and the document stays modified
        if moved or self._watcher is None or str(target) not in self._watcher.files():
            self._watch()  # also after the file was deleted and is now written again
        if moved:
            self.path_changed.emit(target)
        self.save_finished.emit(True)
        return target

    @property
    def saving(self) -> bool:
        """True while a save is being written (Save is waiting for the writer)."""
        return bool(self._saving)

    def changed_on_disk_since_load(self, *, off_thread: bool = False) -> bool:
        """True when the file on disk differs from what we last read or wrote.

        A file of another size has changed (one ``stat``); one of the same size is
        read and hashed, in the background writer when ``off_thread`` (Save: a
        10,000-step file is ~5 MB, tens of ms of reading and hashing under load)
        while the window keeps painting.
        """
        if self.path is None or self._signature is None:
            return False
        try:
            size = self.path.stat().st_size
        except OSError:
            return False
        if size != self._signature[0]:
            return True
        current = self._read_signature(off_thread)
        return current is not None and current != self._signature

    def accept_disk_version(self, *, off_thread: bool = False) -> None:
        """Treat the current file on disk as known (the user chose to overwrite it)."""
        if self.path:
            self._signature = self._read_signature(off_thread)

    def _read_signature(self, off_thread: bool) -> tuple[int, str] | None:
        """The file's (size, sha256), read here or in the writer thread (waiting with
        the window painting, as Save does); None when it cannot be read."""
        if not off_thread:
            return _file_signature(self.path)
        from designer.ui.editing import writer

        path = self.path
        job = writer.submit(lambda: _file_signature(path), self)
        self._checking_disk = True      # no recovery copy queued ahead of the save
        try:
            writer.wait(job)
        finally:
            self._checking_disk = False
        return job.result if job.error is None else None

    def _watch(self) -> None:
        if self._watcher is not None:
            self._watcher.deleteLater()
            self._watcher = None
        if self.path is None:
            return
        self._watcher = QFileSystemWatcher(self)
        if self.path.exists():
            self._watcher.addPath(str(self.path))
        self._watcher.fileChanged.connect(self._on_file_changed)

    def _on_file_changed(self, _name: str) -> None:
        if self._saving:
            return   # our own write, not another program's
        vanished = self.path is not None and self._signature is not None \
            and not self.path.exists()
        if vanished or self.changed_on_disk_since_load():
            self.changed_on_disk.emit()
        # editors that save by replacing the file drop it from the watch list
        if self._watcher is not None and self.path and self.path.exists() \
                and str(self.path) not in self._watcher.files():
            self._watcher.addPath(str(self.path))

    # ----------------------------------------------------------------- recovery

    def _recovery_job(self):
        """Start writing the recovery copy in the background writer; None when clean."""
        if not self.dirty:
            return None
        from designer.graph.cache import pathway_json
        from designer.ui.editing import writer

        snapshot = self.pathway.snapshot()
        args = (self.recovery_id, str(self.path) if self.path else None, snapshot.title,
                self._signature)
        # JSON: no person reads it, and it writes and restores many times faster
        job = writer.submit(lambda: recovery.write_recovery(
            args[0], pathway_json(snapshot).decode("utf-8"), *args[1:], as_json=True), self)
        job.revision = self._revision
        self._copies_pending += 1
        return job

    def _recovery_written(self, job) -> Path | None:
        from designer.graph.io import PathwaySaveError

        self._copies_pending -= 1
        if isinstance(job.error, (OSError, PathwaySaveError)):
            # a safety net must not interrupt editing, but the user should know it is off
            self.autosave_failed.emit(getattr(job.error, "strerror", None) or str(job.error))
            return None
        if job.error is not None:
            raise job.error
        if self._closed or not self.dirty:
            # saved (or closed) while the copy was being written: it is not needed
            self._remove_recovery_files()
            return None
        self._copied_revision = job.revision
        if not self._copies_pending:
            # said once the copy is up to date (not while a newer one is being written)
            self.autosaved.emit(str(job.result))
        return job.result

    def _edited(self, _index: int = 0) -> None:
        """An edit, undo or redo: write the recovery copy once editing pauses."""
        now = time.monotonic()
        if self._pending_since is None:
            self._pending_since = now
        left_ms = self.RECOVERY_MAX_WAIT_MS - (now - self._pending_since) * 1000
        self._recovery_timer.start(int(max(0, min(self.RECOVERY_DELAY_MS, left_ms))))

    def _recovery_due(self) -> None:
        self._pending_since = None
        if not self._closed:
            self.autosave_in_background()

    def flush_recovery(self, timeout_ms: int = 5000) -> bool:
        """Wait for recovery copies being written (tests); True when none is left."""
        from designer.ui.editing import writer

        return writer.wait_idle(timeout_ms)

    def autosave_now(self) -> Path | None:
        """Write the recovery copy when there are unsaved changes; returns its path."""
        from designer.ui.editing import writer

        job = self._recovery_job()
        if job is None:
            return None
        writer.wait(job)
        return self._recovery_written(job)

    def autosave_in_background(self) -> None:
        """The autosave timer: copy the pathway here, write the copy in the writer.

        A failure is reported through ``autosave_failed``; the document stays modified.
        """
        if self._saving or self._checking_disk:
            # the save under way (or about to be) makes the copy unnecessary; should it
            # fail (or not happen), the copy is written once editing pauses again
            if not self._closed:
                self._recovery_timer.start(self.RECOVERY_DELAY_MS)
            return
        if self._copied_revision == self._revision and not self._copies_pending:
            return   # the copy on disk already holds this state
        if self._recovery_in_flight:
            self._recovery_again = True   # one copy at a time; the newest follows it
            return
        job = self._recovery_job()
        if job is not None:
            self._recovery_in_flight = True
            job.finished.connect(self._background_copy_done)

    def _background_copy_done(self, job) -> None:
        self._recovery_in_flight = False
        self._recovery_written(job)
        if self._recovery_again:
            self._recovery_again = False
            self.autosave_in_background()

    def close(self) -> None:
        """A clean close: stop autosaving and remove the recovery copy."""
        from designer.ui.editing import writer

        self._closed = True
        self.pathway.unsubscribe(self._count_edit)
        self._autosave_timer.stop()
        self._recovery_timer.stop()
        writer.wait_idle()   # a copy being written now must not reappear after this
        self._remove_recovery_files()
        recovery.LIVE_IDS.discard(self.recovery_id)
        if self._watcher is not None:
            self._watcher.deleteLater()
            self._watcher = None
