"""The training loss: label-smoothed cross-entropy, optionally weighted per class for imbalanced sets.

Usage:
    weights = class_weights(train_per_class)        # train.class_balance = "weights" (else None)
    loss = training_loss(logits, y, target, smoothing, weights)   # target: mixup/cutmix soft targets or None
With weights, w_c = N / (C · n_c) for a class with n_c of the N training images (scikit-learn's
"balanced"): every class then carries the same total weight, and the mean weight over the training
images is 1, so the learning rate keeps its meaning. The weighting is PyTorch's own cross_entropy
`weight=`: with hard labels the loss is Σ_i w_{y_i}·ℓ_i / Σ_i w_{y_i} (label smoothing as PyTorch
defines it: its uniform part weights each class's log-probability by w_c); with soft targets it is
the batch mean of −Σ_c w_c·t_ic·log p_ic.
"""
import torch
import torch.nn.functional as F


def class_weights(train_per_class):
    """[C] float weights N / (C · n_c); 0 for a class with no training images (no sample carries it)."""
    counts = torch.as_tensor(train_per_class, dtype=torch.float64)
    n, c = counts.sum(), len(counts)
    w = torch.where(counts > 0, n / (c * counts.clamp(min=1)), torch.zeros_like(counts))
    return w.float()


def training_loss(logits, y, target, smoothing, weights=None):
    """The step's loss in fp32. target: soft targets [B,C] (mixup/cutmix, smoothing folded in) or None."""
    logits = logits.float()
    if target is None:
        return F.cross_entropy(logits, y, weight=weights, label_smoothing=smoothing)
    return F.cross_entropy(logits, target, weight=weights)  # probabilities as targets: the batch mean
