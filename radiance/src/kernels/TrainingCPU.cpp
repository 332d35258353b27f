#include "kernels/TrainingImpl.h"
