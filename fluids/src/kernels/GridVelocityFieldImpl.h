// GridLaw's evaluation kernel, compiled once per backend.
#pragma once

#include "advect/engine/PointwiseFieldImpl.h"
#include "advect/fluids/GridVelocityField.h"

ADVECT_INSTANTIATE_POINTWISE_FIELD(advect::fluids::GridLaw)
