"""Chapter Training a network (book/training_a_network.md): the claims its prose makes, checked on
the chapter's own run (its settings, its seeds), and the sympy bound σ' ≤ 1/4 it derives."""
import html
import re
import sys

import matplotlib
import numpy as np
import pytest
import sympy as sp

from conftest import ROOT
from nnmath.datasets import digits
from nnmath.symbolic import equal

matplotlib.use("Agg")
CHAPTER = ROOT / "book" / "training_a_network.md"


@pytest.fixture(scope="module")
def chapter():
    from tools.chapters import run_chapter

    return run_chapter(CHAPTER)


def test_sigmoid_derivative_is_at_most_a_quarter():
    z = sp.symbols("z", real=True)
    sigma = 1 / (1 + sp.exp(-z))
    sigma_prime = sp.diff(sigma, z)
    assert equal(sigma_prime, sp.Rational(1, 4) - (sigma - sp.Rational(1, 2)) ** 2)
    assert sp.solve(sp.diff(sigma_prime, z), z) == [0]
    assert sp.simplify(sigma_prime.subs(z, 0)) == sp.Rational(1, 4)
    assert sp.diff(sp.tanh(z), z).subs(z, 0) == 1


def test_digits_loader_gives_columns_in_the_unit_interval():
    from sklearn.datasets import load_digits

    x, labels = digits()
    assert x.shape == (64, 1797) and labels.shape == (1797,) and labels.dtype.kind == "i"
    assert x.min() == 0 and x.max() == 1 and set(labels) == set(range(10))
    np.testing.assert_array_equal(x[:, 5].reshape(8, 8) * 16, load_digits().images[5])


def test_digits_loader_names_the_missing_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(ImportError, match="needs scikit-learn"):
        digits()


def test_digits_network_beats_95_percent_held_out(chapter):
    """The chapter's own settings (network, optimizer, epochs, batch size, split, seeds)."""
    assert chapter["digits"]["held_out_accuracy"][-1] > 0.95
    train, held_out = chapter["digits_train"], chapter["digits_held_out"]
    assert train.labels.size + held_out.labels.size == 1797
    # the split keeps the two apart: no held-out image is also a training image
    train_images = {column.tobytes() for column in train.x.T}
    assert sum(column.tobytes() in train_images for column in held_out.x.T) <= 5  # the data have a few duplicates
    confusion = chapter["confusion"]
    assert confusion.sum() == held_out.labels.size
    assert np.trace(confusion) / confusion.sum() == pytest.approx(chapter["digits"]["held_out_accuracy"][-1])


def test_moons_boundary_learns_after_a_plateau(chapter):
    moons = chapter["moons"]
    assert moons["held_out_accuracy"][-1] >= 0.95 and moons["train_accuracy"][-1] >= 0.95
    assert moons["held_out_accuracy"][0] < 0.6
    plateau = moons["train_cost"][5:20]
    assert plateau.max() / plateau.min() < 1.2 and moons["train_cost"][-1] < 0.5 * plateau.min()


def test_delta_norms_shrink_with_sigmoids_and_stay_level_with_relu_he(chapter):
    norms, bound_holds, deep_network = chapter["norms"], chapter["bound_holds"], chapter["deep_network"]
    for init in ("naive", "xavier"):
        assert np.all(np.diff(norms["sigmoid", init]) > 0), init   # smaller towards the input
    assert chapter["per_layer_sigmoid_xavier"] < 0.3
    assert np.all(np.diff(norms["relu", "naive"]) < 0)              # larger towards the input: exploding
    for key in (("relu", "he"), ("tanh", "xavier")):
        assert norms[key].max() / norms[key].min() < 3, key
    assert all(bound_holds(deep_network(activation, init)) for activation, init in norms)
    assert chapter["naive_mean_slope"] < chapter["xavier_mean_slope"] <= 0.25


def test_the_bound_check_can_fail(chapter):
    """bound_holds is not vacuous: with a slope larger than f' allows, the bound is broken."""
    net = chapter["deep_network"]("sigmoid", "xavier")
    x = chapter["sample"].x
    forward = net.forward(x)
    delta = net.backward(x, chapter["sample"].t, forward=forward).delta
    l = 3
    too_small = np.linalg.norm(net.W[l + 1], 2) * 0.1 * net.f[l].derivative(forward.z[l]).max(axis=0) \
        * np.linalg.norm(delta[l + 1], axis=0)
    assert np.any(np.linalg.norm(delta[l], axis=0) > too_small)


def test_optimizers_all_learn_the_digits_and_momentum_starts_fastest(chapter):
    compared = chapter["compared"]
    assert set(compared) == {"SGD", "momentum", "RMSprop", "Adam"}
    accuracy = [run["held_out_accuracy"][-1] for run in compared.values()]
    assert min(accuracy) > 0.9 and max(accuracy) - min(accuracy) < 0.05   # the prose's range
    first = {name: run["train_cost"][1] for name, run in compared.items()}
    assert min(first, key=first.get) == "momentum"
    # same start: every run begins from the same cost
    assert len({round(float(run["train_cost"][0]), 12) for run in compared.values()}) == 1


def test_range_test_points_to_the_band_that_trains_best(chapter):
    rates, lowest, runs = chapter["sweep_rates"], chapter["lowest"], chapter["lr_runs"]
    assert rates[0] < lowest < rates[-1] and rates.size < 150
    sweep_cost = chapter["sweep_cost"]
    assert sweep_cost[-1] > 4 * sweep_cost.min()          # "past four times" its lowest value
    # runs measured on the validation split (fit's second split)
    finished = {rate: run["held_out_accuracy"][-1] for rate, run in runs.items() if run["diverged_in_epoch"] is None}
    best = max(finished, key=finished.get)
    assert best == chapter["best_rate"] and lowest / 10 <= best <= lowest
    band = [rate for rate in finished if lowest / 10 <= rate <= lowest]
    assert min(finished[r] for r in band) > max(finished[r] for r in finished if r not in band)
    assert finished[min(runs)] < 0.9 < finished[best]
    largest = max(runs)
    assert [rate for rate in runs if rate > lowest] == [largest]
    assert runs[largest]["diverged_in_epoch"] is None and finished[largest] < 0.2


def test_the_rate_is_chosen_on_a_validation_split_carved_from_training(chapter):
    train, validation, held_out = chapter["rate_train"], chapter["rate_validation"], chapter["digits_held_out"]
    assert train.labels.size + validation.labels.size == chapter["digits_train"].labels.size
    training_images = {column.tobytes() for column in chapter["digits_train"].x.T}
    assert all(column.tobytes() in training_images for column in validation.x.T)
    held_out_images = {column.tobytes() for column in held_out.x.T}
    # no validation image is a held-out image (the data have a few duplicates)
    assert sum(column.tobytes() in held_out_images for column in validation.x.T) <= 5
    # every run of the choice was measured on the validation split, not on the held-out one
    for run in chapter["lr_runs"].values():
        assert run["held_out_accuracy"][-1] * validation.labels.size == pytest.approx(
            round(run["held_out_accuracy"][-1] * validation.labels.size))
    chosen = chapter["chosen"]
    assert chosen["held_out_accuracy"][-1] * held_out.labels.size == pytest.approx(
        round(chosen["held_out_accuracy"][-1] * held_out.labels.size))


def test_explorers_fit_the_budget_and_play_over_epochs(chapter):
    from nnmath.explore import MAX_EXPLORER_BYTES, Play

    moons_explorer, rate_explorer = chapter["moons_explorer"], chapter["rate_explorer"]
    assert isinstance(moons_explorer.controls[0], Play)
    assert moons_explorer.controls[0].values[-1] == chapter["moons_epochs"]
    for explorer in (moons_explorer, rate_explorer):
        assert len(explorer.static_html().encode()) <= MAX_EXPLORER_BYTES


@pytest.mark.book
def test_page_states_the_computed_accuracy(built_book, chapter):
    html_dir, _ = built_book
    text = html.unescape(re.sub(r"<[^>]+>", "", (html_dir / "book" / "training_a_network.html").read_text()))
    assert f"{100 * chapter['digits']['held_out_accuracy'][-1]:.1f} % of the" in text
    assert "np.float64" not in text
