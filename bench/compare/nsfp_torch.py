"""NSFP's flow network as its public code builds it (Li, Kaesemodel Pontes and Lucey, NeurIPS 2021):
Linear(3,128)+ReLU, 7 x [Linear(128,128)+ReLU], Linear(128,3), PyTorch's default initialisation.
Shared by the scripts of this folder that time PyTorch beside advect."""
import torch


def nsfp_mlp():
    layers, width = [], 3
    for _ in range(8):
        layers += [torch.nn.Linear(width, 128), torch.nn.ReLU()]
        width = 128
    return torch.nn.Sequential(*layers, torch.nn.Linear(128, 3))


def as_advect_parameters(*networks):
    """The networks' parameters in the layout of advect's Mlp (per layer its weight, out x in
    column-major, which is PyTorch's (out, in) row-major transposed, then its bias), the networks
    one after another: `initial_parameters` of advect.scene_flow, so that both fits start from
    the same draw."""
    blocks = []
    for network in networks:
        for layer in network:
            if isinstance(layer, torch.nn.Linear):
                blocks.append(layer.weight.detach().t().contiguous().reshape(-1))
                blocks.append(layer.bias.detach().reshape(-1))
    return torch.cat(blocks).numpy()
