// The README's first example: seed 003's Adam run on the Beale function, a gradient check and an
// automatically differentiated function, through the installed `kobai::kobai` target.
#include <cstdio>

#include <kobai/kobai.hpp>

int main() {
  // Seed 003: Adam (lr 1e-3, betas 0.9/0.8) on Beale from (3, 4). Its minimum is (3, 0.5).
  const auto beale = kobai::problems::beale();
  kobai::Adam adam({.lr = 1e-3, .beta1 = 0.9, .beta2 = 0.8});
  const auto run = kobai::minimize(beale, kobai::Vector{{3.0, 4.0}}, adam,
                                   {.max_iterations = 100'000, .gradient_tolerance = 1e-8});
  std::printf("Adam on Beale: x = (%.6f, %.6f), f = %.3g, %lld iterations, %s\n", run.x[0], run.x[1],
              run.value, static_cast<long long>(run.iterations), kobai::to_string(run.status).data());

  // Seed 003 §2.4: check a hand-derived gradient against central differences.
  auto f = [](const auto& x) {
    using std::sin;
    return sin(x[0]) + 0.05 * (5 - x[0]) * (5 - x[0]);
  };
  auto hand_gradient = [](const kobai::Vector& x) {
    return kobai::Vector{{std::cos(x[0]) - 0.1 * (5 - x[0])}};
  };
  const auto check = kobai::check_gradient(f, hand_gradient, kobai::Vector{{1.0}});
  std::printf("%s\n", check.summary().c_str());

  // The same function, differentiated exactly and minimized by plain gradient descent.
  const auto sine_bowl = kobai::autodiff(f);
  kobai::GradientDescent gd({.lr = 1.0});
  const auto trapped = kobai::minimize(sine_bowl, kobai::Vector{{-10.0}}, gd, {.max_iterations = 30});
  std::printf("gd lr 1 on sin x + 0.05(5 - x)^2 from -10: x = %.6f (a local minimum)\n", trapped.x[0]);
  return run.status == kobai::Status::diverged ? 1 : 0;
}
