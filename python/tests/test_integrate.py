"""integrate over the engine's fields and over Python callables, against exact solutions."""
import numpy as np
import pytest

import advect


def test_rotation_matches_the_exact_turn():
    seeds = np.random.default_rng(0).uniform(-1, 1, (100, 3))
    times = np.linspace(0.0, 2.0, 5)
    states = advect.integrate(advect.rotation_field(omega=1.5), seeds, times, rtol=1e-10, atol=1e-12)
    assert states.shape == (5, 100, 3)
    angle = 1.5 * times[-1]
    c, s = np.cos(angle), np.sin(angle)
    exact = seeds @ np.array([[c, s, 0], [-s, c, 0], [0, 0, 1]])
    np.testing.assert_allclose(states[-1], exact, atol=1e-8)


def test_a_python_field_is_called_with_the_whole_batch():
    calls = []

    def decay(t, x):  # v = -x: x(t) = x0 exp(-t)
        calls.append(x.shape)
        return -x

    seeds = np.random.default_rng(1).uniform(-1, 1, (64, 2))
    states = advect.integrate(decay, seeds, [0.0, 1.0], method="rk4", step=0.01)
    np.testing.assert_allclose(states[-1], seeds * np.exp(-1.0), rtol=1e-8)
    assert set(calls) == {(64, 2)} and len(calls) == 400  # four stages, 100 steps


def test_python_field_and_engine_field_agree():
    gyre = advect.double_gyre_field()

    def python_gyre(t, x):
        a = 0.25 * np.sin(0.6283185307179586 * t)
        f = a * x[:, 0] ** 2 + (1 - 2 * a) * x[:, 0]
        dfdx = 2 * a * x[:, 0] + 1 - 2 * a
        u = -np.pi * 0.1 * np.sin(np.pi * f) * np.cos(np.pi * x[:, 1])
        v = np.pi * 0.1 * np.cos(np.pi * f) * np.sin(np.pi * x[:, 1]) * dfdx
        return np.stack([u, v, np.zeros_like(u)], axis=1)

    seeds = np.random.default_rng(2).uniform([0, 0, 0], [2, 1, 0], (50, 3))
    ours = advect.integrate(gyre, seeds, [0, 5, 10], method="rk4", step=0.05, device="cpu")
    theirs = advect.integrate(python_gyre, seeds, [0, 5, 10], method="rk4", step=0.05)
    np.testing.assert_allclose(ours, theirs, atol=1e-12)


def test_bad_fields_and_arguments_are_refused():
    with pytest.raises(ValueError, match="seeds must have shape"):
        advect.integrate(advect.rotation_field(), np.zeros((4, 2)), [0, 1])
    with pytest.raises(ValueError, match="unknown method"):
        advect.integrate(advect.rotation_field(), np.zeros((4, 3)), [0, 1], method="rk5")
    with pytest.raises(ValueError, match="returned 3 rows for 4 states"):
        advect.integrate(lambda t, x: x[:3], np.zeros((4, 3)), [0, 1], method="euler", step=0.5)
    with pytest.raises(TypeError, match="a callable"):
        advect.integrate("gyre", np.zeros((4, 3)), [0, 1])
    with pytest.raises(ZeroDivisionError):
        advect.integrate(lambda t, x: x / 0 if t > 0.3 else x * 0.0 + 1 / 0, np.ones((2, 3)), [0, 1])
