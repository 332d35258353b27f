// The analytic laws' kernels, compiled once per backend by AnalyticFields{CPU.cpp,CUDA.cu}.
#pragma once

#include "advect/engine/AnalyticFields.h"
#include "advect/engine/PointwiseFieldImpl.h"

ADVECT_INSTANTIATE_POINTWISE_FIELD(advect::RotationLaw)
ADVECT_INSTANTIATE_POINTWISE_FIELD(advect::LinearLaw)
ADVECT_INSTANTIATE_POINTWISE_FIELD(advect::LambOseenLaw)
ADVECT_INSTANTIATE_POINTWISE_FIELD(advect::DoubleGyreLaw)
