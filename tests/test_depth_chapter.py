"""Chapter Why depth made training hard (book/depth.md): the claims its prose makes, checked on the
chapter's own run (its settings, its seeds), and the sympy bound σ' ≤ 1/4 it derives. The chapter
was a section of book/training_a_network.md; its digits are that chapter's, split the same way."""

import html
import re

import matplotlib
import numpy as np
import pytest
import sympy as sp
from chapter_runs import chapter_namespace
from conftest import ROOT
from test_training_chapter import UNSUPPORTED

from nnmath.symbolic import equal

matplotlib.use("Agg")
CHAPTER = ROOT / "book" / "depth.md"
TRAINING = ROOT / "book" / "training_a_network.md"


@pytest.fixture(scope="module")
def chapter():
    return chapter_namespace(CHAPTER.stem)


def test_sigmoid_derivative_is_at_most_a_quarter():
    z = sp.symbols("z", real=True)
    sigma = 1 / (1 + sp.exp(-z))
    sigma_prime = sp.diff(sigma, z)
    assert equal(sigma_prime, sp.Rational(1, 4) - (sigma - sp.Rational(1, 2)) ** 2)
    assert sp.solve(sp.diff(sigma_prime, z), z) == [0]
    assert sp.simplify(sigma_prime.subs(z, 0)) == sp.Rational(1, 4)
    assert sp.diff(sp.tanh(z), z).subs(z, 0) == 1
    assert equal(sigma, (1 + sp.tanh(z / 2)) / 2)


def code_lines(path, start, end):
    """The lines of ``path`` from the one starting with ``start`` to the one starting with ``end``."""
    lines = path.read_text().splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    last = next(i for i, line in enumerate(lines) if i > first and line.startswith(end))
    return lines[first : last + 1]


def test_the_digits_are_split_as_in_the_training_chapter():
    """The same split function (nnmath's), fractions, seeds and batch size: the same images, the
    same numbers."""
    for chapter in (CHAPTER, TRAINING):
        assert re.search(r"^from nnmath\.datasets import .*\bsplit\b", chapter.read_text(), re.M)
        assert not re.search(r"^def split\(", chapter.read_text(), re.M), chapter
    start, end = (
        "digits_x, digits_labels = ",
        "                                        apart=VALIDATION",
    )
    assert code_lines(CHAPTER, start, end) == code_lines(TRAINING, start, end)
    assert re.search(r"^DIGITS_BATCH = 32$", CHAPTER.read_text(), re.M)
    assert re.search(r"^DIGITS_EPOCHS, DIGITS_BATCH = \d+, 32$", TRAINING.read_text(), re.M)


def test_the_held_out_split_is_never_used(chapter):
    """The split keeps the training chapter's held-out images apart; no line here reads them."""
    uses = [line for line in CHAPTER.read_text().splitlines() if "digits_held_out" in line]
    assert len(uses) == 1 and uses[0].startswith("digits_development, digits_held_out = split(")
    train, validation = chapter["digits_train"], chapter["digits_validation"]
    held_out = chapter["digits_held_out"]
    assert train.labels.size + validation.labels.size + held_out.labels.size == 1797
    training_images = {column.tobytes() for column in train.x.T}
    assert sum(column.tobytes() in training_images for column in validation.x.T) <= 5


def test_delta_norms_shrink_with_sigmoids_and_stay_level_with_relu_he(chapter):
    norms, bound_holds, deep_network = (
        chapter["norms"],
        chapter["bound_holds"],
        chapter["deep_network"],
    )
    for init in ("naive", "xavier"):
        assert np.all(np.diff(norms["sigmoid", init]) > 0), init  # smaller towards the input
    assert chapter["per_layer_sigmoid_xavier"] < 0.3
    assert np.all(np.diff(norms["relu", "naive"]) < 0)  # larger towards the input: exploding
    for key in (("relu", "he"), ("tanh", "xavier")):
        assert norms[key].max() / norms[key].min() < 3, key
    assert all(bound_holds(deep_network(activation, init)) for activation, init in norms)
    assert chapter["naive_mean_slope"] < chapter["xavier_mean_slope"] <= 0.25


def test_four_times_xaviers_deviation_does_not_keep_a_sigmoid_networks_delta_level(chapter):
    """What the linear argument (σ'(0) = ¼) asks for still shrinks δ at every layer, as stated."""
    four = chapter["four_xavier"]
    assert chapter["FOUR_XAVIER"] == 4 and len(four) >= 3
    assert np.all(four < 0.8) and np.all(four > chapter["per_layer_sigmoid_xavier"])
    assert chapter["four_xavier_mean_slope"] < chapter["xavier_mean_slope"]
    text = " ".join(CHAPTER.read_text().split())
    assert "needs four times Xavier" not in text and "four_xavier_high" in text
    # larger weights do level δ, by saturating the units: the page says so, not "no scaling levels"
    assert "No scaling of the weights keeps a sigmoid network's δ level" not in text
    assert np.all(np.abs(np.log(chapter["sat_per_layer"])) < np.log(1.15))
    assert np.all(chapter["sat_fraction"] > 0.5)
    # the compared networks differ only in their hidden layers: all have Xavier's output weights
    for seed in chapter["LEVEL_SEEDS"]:
        saturated = chapter["sigmoid_network_std"](chapter["SATURATING_STD"], seed)
        xavier = chapter["deep_xavier"]("sigmoid", seed)
        assert np.array_equal(saturated.W[saturated.L], xavier.W[xavier.L])
    # a level δ helps, not equally: tanh far ahead of the saturated network, which still learns
    # (each at its own best rate); the saturated one below tanh's mean even after the longer budget
    short, longer = chapter["short"], chapter["longer"]
    assert short["tanh"].min() > short["saturated"].max() + 0.1 > 0.2
    assert np.all(chapter["sat_trained"] < short["tanh"].min())
    assert longer["saturated"].mean() < short["tanh"].mean()
    assert "a tanh network in disguise;" not in text and "only at the start" not in text


def test_each_network_is_compared_at_its_own_best_rate(chapter):
    """An expert's objection to one shared Adam rate: each network runs on one grid of rates and is
    compared at its own best, chosen on the validation split, for each budget separately."""
    rates, deep_right = chapter["ADAM_RATES"], chapter["deep_right"]
    seeds, makers = chapter["LEVEL_SEEDS"], chapter["deep_makers"]
    assert len(rates) >= 4 and len(seeds) >= 3
    assert set(deep_right) == {(name, rate) for name in makers for rate in rates}
    for (name, _), right in deep_right.items():
        assert right.shape == (len(seeds), makers[name][1] + 1)
    for budget, best in (
        (chapter["SHORT_EPOCHS"], chapter["short_rate"]),
        (chapter["LONGER_EPOCHS"], chapter["longer_rate"]),
    ):
        for name, rate in best.items():
            mean = {r: deep_right[name, r][:, budget].mean() for r in rates}
            assert rate == max(mean, key=mean.get), (name, budget)
            assert min(rates) < rate < max(rates), (name, budget)  # inside the grid, not at an end
    assert set(chapter["short_rate"]) == set(makers)
    assert set(chapter["longer_rate"]) == {"saturated", "sigmoid"}
    # tanh ahead of every sigmoid network on every seed; none reaches tanh's mean at any grid rate
    short = chapter["short"]
    for name in ("saturated", "sigmoid", "disguised"):
        assert np.all(short["tanh"] > short[name]), name
        for rate in rates:
            assert deep_right[name, rate][:, chapter["SHORT_EPOCHS"]].mean() < short["tanh"].mean()
    # the disguised network: the tanh network's function at the start, a larger best rate, behind
    assert chapter["short_rate"]["disguised"] > chapter["short_rate"]["tanh"]
    text = " ".join(CHAPTER.read_text().split())
    assert "DEEP_ADAM_RATE" not in text and "deep_adam_rate" not in text
    assert "each at its own best rate" in text


def test_the_bound_check_can_fail(chapter):
    """bound_holds is not vacuous: with a slope larger than f' allows, the bound is broken."""
    net = chapter["deep_network"]("sigmoid", "xavier")
    x = chapter["sample"].x
    forward = net.forward(x)
    delta = net.backward(x, chapter["sample"].t, forward=forward).delta
    l = 3
    too_small = (
        np.linalg.norm(net.W[l + 1], 2)
        * 0.1
        * net.f[l].derivative(forward.z[l]).max(axis=0)
        * np.linalg.norm(delta[l + 1], axis=0)
    )
    assert np.any(np.linalg.norm(delta[l], axis=0) > too_small)


def test_sgd_barely_moves_the_first_layer_and_adam_moves_it(chapter):
    moved = chapter["moved"]
    assert moved["SGD"][0] < 1e-3 * moved["SGD"][1]
    assert moved["Adam"][0] > moved["Adam"][1]  # at least as far as the output layer


def test_claims_a_review_found_unsupported_are_gone():
    text = " ".join(CHAPTER.read_text().split())
    for phrase in UNSUPPORTED:
        assert phrase not in text, phrase


@pytest.mark.book
def test_page_states_the_computed_accuracy(built_book, chapter):
    html_dir, _ = built_book
    text = html.unescape(re.sub(r"<[^>]+>", "", (html_dir / "book" / "depth.html").read_text()))
    assert f"{100 * chapter['short']['tanh'].mean():.0f} % (" in text
    assert f"α = {chapter['ADAM_RATES'][0]:g}" in text
    assert "np.float64" not in text


def test_the_forward_signal_collapses_with_the_vanishing_delta(chapter):
    """Why Adam's moving W¹ does not make the Xavier sigmoid network learn: at initialisation its
    outputs barely differ between digits, and a push of W¹ as large as Adam's barely reaches them."""
    collapse = chapter["collapse"]
    assert np.all(np.diff(collapse["sigmoid"][:-1]) < 0)
    assert collapse["sigmoid"][-2] < 1e-4 and collapse["sigmoid"][-1] < 1e-5
    assert collapse["tanh"][-2] > 1e4 * collapse["sigmoid"][-2]
    assert chapter["output_change"] < 1e-4


def test_adams_first_layer_gradients_are_above_eps_but_not_by_much(chapter):
    over_eps = chapter["over_eps"]
    assert 3 < over_eps["median"] < over_eps["rms"] < 50
    text = " ".join(CHAPTER.read_text().split())
    assert "much larger than Adam's" not in text
    assert "larger than $\\varepsilon$ by a factor of only about" in text


def test_the_main_text_does_not_rest_on_folded_boxes():
    """The intro promises the main text does not depend on the boxes: the training comparison and
    its figure are on the main line, no prose points into an optional box, and the conclusion about
    the disguised network is stated under one global Adam rate."""
    source = CHAPTER.read_text()
    text = " ".join(source.split())
    assert "the main text does not depend on them" in text
    assert "optional box" not in text.lower() and "Optional:" not in text
    dropdowns = re.findall(r"^(`{4,})\{admonition\}.*?^\1$", source, re.M | re.S)
    assert dropdowns and not any("fig_deep_rates" in box for box in dropdowns)
    assert "all alike" not in text
    assert text.count("one global rate") >= 3  # the training bullet, the Takeaway, the Summary
    assert "{cite:p}`lecun1998efficient`" in text
    assert "@incollection{lecun1998efficient," in (ROOT / "references.bib").read_text()


def test_adams_own_first_layer_step_barely_changes_the_answers(chapter):
    """Not only a random push: Adam's one-epoch change of W¹, alone, leaves the outputs collapsed;
    the collapse's spread and the push's change are two quantities, not one glued twice."""
    assert chapter["adam_output_change"] < 1e-4 and chapter["adam_output_spread"] < 1e-5
    assert chapter["adam_output_change"] > 3 * chapter["output_change"]
    assert chapter["all_layers_change"] > 1e3 * chapter["adam_output_change"]
    assert chapter["output_change"] != chapter["collapse"]["sigmoid"][-1]


def test_the_shallow_baseline_shows_depth_is_what_hurts(chapter):
    """The same sigmoid network with Xavier's weights and one hidden layer, trained on the same
    data, seeds, epochs and grid, beats the deep one at every rate."""
    assert chapter["SHALLOW_SIZES"] == [64, chapter["DEEP_WIDTH"], 10]
    right = chapter["shallow_right"]
    assert set(right) == set(chapter["ADAM_RATES"])
    assert all(
        value.shape == (len(chapter["LEVEL_SEEDS"]), chapter["LONGER_EPOCHS"] + 1)
        for value in right.values()
    )
    assert chapter["shallow_worst"] > chapter["longer"]["sigmoid"].mean() + 0.2


def test_saturation_is_claimed_for_random_weights_only(chapter):
    """With zero biases, random weights large enough to level the sigmoid's δ saturate its units;
    weights whose rows sum to zero (between hidden layers) level δ without saturating any."""
    assert np.all(chapter["centred_per_layer"] > 0.8)
    assert chapter["centred_fraction"].max() < 0.01
    assert chapter["centred_mean_slope"].min() > 0.2
    text = " ".join(CHAPTER.read_text().split())
    assert "With zero biases, random weights large enough to level the sigmoid's δ" in text
    assert "and so can weights whose rows sum to zero" in text
    assert (
        "weights large enough to level it between the hidden layers saturate the units." not in text
    )


def test_the_variance_rule_predicts_the_factor_per_layer(chapter):
    """n_l · v · E[f'²] per layer, with the networks' own weights and slopes, predicts the measured
    factor for the sigmoid (Xavier), tanh (Xavier) and ReLU (He), on every seed."""
    assert chapter["rule_error"].size == 3 * len(chapter["LEVEL_SEEDS"])
    assert np.all(np.abs(np.log(chapter["rule_error"])) < np.log(1.25))
    assert chapter["variance_rule"]


def test_the_first_layer_steps_of_deeper_networks_are_measured_over_the_seeds(chapter):
    deeper = chapter["deeper_step"]
    eps_layers, tenth_layers = chapter["layers_to_eps"], chapter["layers_to_tenth"]
    assert deeper[eps_layers].shape == (len(chapter["LEVEL_SEEDS"]),)
    assert 0.1 < deeper[eps_layers].min() and deeper[eps_layers].max() < 0.5
    assert deeper[tenth_layers].max() < 0.1
    assert "at most about {glue:text}`step_after_eps_layers" not in CHAPTER.read_text()


def test_the_xavier_sigmoid_network_learns_when_trained_longer(chapter):
    """The training verdicts are scoped to their budgets: trained longer, the Xavier sigmoid
    network does learn, slowly."""
    longest = chapter["longest"]
    assert longest.size == chapter["LONGEST_EPOCHS"] + 1
    assert longest[-1] > chapter["longer"]["sigmoid"].max() + 0.2
    assert longest[-1] < chapter["short"]["tanh"].min()
    text = " ".join(CHAPTER.read_text().split())
    # it learned a little: the summary says how much, with the numbers
    assert "did not make the network learn" not in text
    assert "the network barely learned:" in text


def test_the_older_uniform_default_shrinks_a_sigmoid_networks_delta_faster(chapter):
    """N(0, 1) is a foil; the historical default, uniform on ±1/√n, has a third of Xavier's variance
    between the hidden layers and shrinks δ faster, below the variance rule's ceiling ¼√(1/3)."""
    uniform, xavier = chapter["uniform_per_layer"], chapter["xavier_all_per_layer"]
    assert uniform.max() < xavier.min()
    assert np.all(uniform < 1.15 * float(chapter["uniform_rule_bound"]))
    text = " ".join(CHAPTER.read_text().split())
    assert "a deliberately large foil" in text
    assert "treat $\\delta^{l+1}$ as independent of them" in text  # the approximation, named
    assert "{cite:p}`hinton2006,bengio2007`" in text  # layer-wise pre-training, cited


def test_the_main_line_gives_its_reasons(chapter):
    """The reasons the main text gives, held on the chapter's run: naive weights explode because
    n_l v E[f'²] is far above 1 (not because tanh's slopes are near 1: most units sit on its tails);
    the saturated network's δ drops at the output step; the forward Jacobians, transposed, carry δ
    back and shrink a change of z¹ in the sigmoid network; the disguised network's weights move a
    quarter as far for their size under Adam's first step at the same α."""
    naive_rule = chapter["naive_rule"]
    assert 2 < naive_rule["tanh"] < naive_rule["relu"] and chapter["tanh_naive_square_slope"] < 0.15
    assert np.all(1 / chapter["sat_output_step"] > 4)
    jacobian = chapter["jacobian"]
    assert jacobian["sigmoid"].max() < 1e-3 and jacobian["tanh"].min() > 0.5
    assert np.allclose(chapter["relative_step"], 1 / 4, rtol=0.05)
    text = " ".join(CHAPTER.read_text().split())
    assert "Their slopes reach 1, not ¼" not in text and "but is not enough" not in text
    assert "uniform draw, $2/(n_{l-1} + n_l)$" not in text
    assert "These weights level δ between the hidden layers" in text
    # at the rates compared, the larger best rate changes the quarter: the hidden weights move more
    # than that, still less than tanh's, and W¹ out of proportion with them
    ratio = chapter["move_ratio"]  # disguised over tanh, per seed: W¹, between hidden layers
    assert np.all(ratio[:, 1] > 0.5) and np.all(ratio[:, 1] < 0.8)
    assert np.all(ratio[:, 0] > 2) and np.all(ratio[:, 0] > 3 * ratio[:, 1])
    assert "At the same α, Adam's first step" in text
