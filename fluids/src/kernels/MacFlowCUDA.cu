#include "kernels/MacFlowImpl.h"
