// kobai/kobai.hpp — everything in the library, in layer order (see DESIGN.md).
#pragma once

#include "kobai/core/error.hpp"
#include "kobai/core/objective.hpp"
#include "kobai/core/types.hpp"
#include "kobai/core/validate.hpp"
#include "kobai/optim/gradient_descent.hpp"
#include "kobai/optim/optimizer.hpp"
#include "kobai/optim/schedule.hpp"
#include "kobai/minimize/callbacks.hpp"
#include "kobai/minimize/minimize.hpp"
#include "kobai/minimize/options.hpp"
#include "kobai/minimize/result.hpp"
#include "kobai/minimize/status.hpp"
#include "kobai/problems/problem.hpp"
