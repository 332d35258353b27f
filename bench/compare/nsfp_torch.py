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
