"""Where a run is (epoch, sample, global step) with the sums of the epoch so far, and the step window.

Usage:
    pos = Position()                                  # epoch 1, nothing done
    pos = Position.from_checkpoint(ckpt["position"])  # a resumed run; checkpoints hold pos.to_dict()
    window = StepWindow()                             # the steps since the last `step` event
    window.add(loss, correct, n_real)                 # per step, on the device (no sync)
    pos.add(window)                                   # when the event goes out: into the epoch's sums
    pos = pos.next_epoch()                            # after the epoch's checkpoint
The checkpoint keeps the plain dict (same keys as before these classes), so older checkpoints resume.
"""
import time
from dataclasses import asdict, dataclass, field


@dataclass
class Position:
    epoch: int = 1            # the epoch in progress (1-based)
    sample: int = 0           # training images of this epoch already stepped over
    global_step: int = 0      # optimizer steps since the run began, over every attempt
    loss_sum: float = 0.0     # the epoch's sums: mean loss, training accuracy, images per second
    loss_count: int = 0
    epoch_time: float = 0.0
    correct: int = 0
    seen: int = 0

    @classmethod
    def from_checkpoint(cls, saved):
        # Checkpoints from before training accuracy was counted lack its sums: they start at 0.
        return cls(**{"correct": 0, "seen": 0, **saved})

    def to_dict(self):
        return asdict(self)

    def next_epoch(self):
        """The start of the following epoch: its sums at 0, the global step kept."""
        return Position(epoch=self.epoch + 1, global_step=self.global_step)

    def add(self, window):
        """Adds a window of steps to the epoch's sums (one device sync, for the loss and the correct count)."""
        self.loss_sum += float(window.loss)
        self.loss_count += window.steps
        self.correct += int(window.correct)
        self.seen += window.images

    def train_loss(self):
        return self.loss_sum / max(1, self.loss_count)

    def train_top1(self):
        return self.correct / self.seen if self.seen else None


@dataclass
class StepWindow:
    """The steps since the last `step` event: sums kept on the device until the event needs them."""
    loss: object = 0.0        # a device tensor after the first step
    correct: object = 0
    steps: int = 0
    images: int = 0
    started: float = field(default_factory=time.monotonic)

    def add(self, loss, correct, images):
        self.loss, self.correct = self.loss + loss, self.correct + correct
        self.steps, self.images = self.steps + 1, self.images + images
