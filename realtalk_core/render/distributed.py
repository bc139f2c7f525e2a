"""Multi-process training through torch.distributed: ``torchrun --nproc_per_node=N realtalk train subject ...``.

Nothing here is an engine of our own: torchrun starts the processes and sets ``RANK``/``WORLD_SIZE``/
``LOCAL_RANK``; we join the process group (gloo on CPU, nccl on CUDA) and wrap the model in
DistributedDataParallel, which averages gradients. Only rank 0 writes files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch
import torch.distributed as dist


@dataclass(frozen=True)
class DistributedContext:
    rank: int = 0
    world_size: int = 1
    local_rank: int = 0

    @property
    def enabled(self) -> bool:
        return self.world_size > 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    def barrier(self) -> None:
        if self.enabled:
            dist.barrier()

    def mean(self, value: float) -> float:
        """The average of a float over the processes."""
        if not self.enabled:
            return value
        tensor = torch.tensor([value], dtype=torch.float64)
        dist.all_reduce(tensor)
        return float(tensor.item()) / self.world_size

    def close(self) -> None:
        if self.enabled and dist.is_initialized():
            dist.destroy_process_group()


def start(device: str) -> tuple[DistributedContext, torch.device]:
    """Join torchrun's process group when one is set up; returns the context and this process's device."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return DistributedContext(), torch.device(device)
    rank, local = int(os.environ["RANK"]), int(os.environ.get("LOCAL_RANK", "0"))
    if device.startswith("cuda"):
        torch.cuda.set_device(local)
        dist.init_process_group("nccl")
        return DistributedContext(rank, world, local), torch.device("cuda", local)
    dist.init_process_group("gloo")
    return DistributedContext(rank, world, local), torch.device(device)


def wrap(model: torch.nn.Module, context: DistributedContext, device: torch.device) -> torch.nn.Module:
    """The module training calls: DDP over ``model`` under torchrun, else ``model`` itself."""
    if not context.enabled:
        return model
    from torch.nn.parallel import DistributedDataParallel

    ids = [device.index] if device.type == "cuda" else None
    # A crop whose rays all miss the head leaves the field without gradients: let DDP allow that.
    return DistributedDataParallel(model, device_ids=ids, find_unused_parameters=True)
