#include "kernels/SceneImpl.h"
