"""Typed errors of the trainer: one kind per thing a user can fix, with a plain message and a fix.

Usage:
    raise TrainerError("dataset_empty", "No class folders with images were found in /data.",
                       "Put each class's images in its own folder, e.g. /data/cats/1.jpg.")

`EXIT_CODES` is the process exit status for each kind (electron/contract/trainer-protocol.ts).
"""

# exit status per error kind; 0 = finished, or stopped and resumable
EXIT_CODES = {
    "internal": 1,
    "config_invalid": 2,
    "checkpoint_invalid": 2,  # an unusable checkpoint is a settings problem: start fresh or pick another run
    "dataset_not_found": 3,
    "dataset_empty": 3,
    "dataset_one_class": 3,
    "weights_missing": 4,
    "out_of_memory": 5,
}


class TrainerError(Exception):
    """An error the user can act on; becomes an `error` event and an exit code."""

    def __init__(self, kind, message, fix, detail=None):
        assert kind in EXIT_CODES, kind
        super().__init__(message)
        self.kind, self.message, self.fix, self.detail = kind, message, fix, detail

    @property
    def exit_code(self):
        return EXIT_CODES[self.kind]
