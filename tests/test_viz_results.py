"""Artist tests of lstm_viz.draw.results: what is drawn is the numbers given."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lstm_viz.draw.results import draw_attention_map, draw_by_length, draw_seed_bars  # noqa: E402


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_by_length_draws_the_mean_and_a_band_over_seeds(ax):
    lengths = [4, 8, 12]
    runs = {"attention": [[1.0, 0.9, 0.8], [0.8, 0.7, 0.6]], "none": [0.5, 0.3, 0.1]}
    art = draw_by_length(ax, lengths, runs, "accuracy", baselines={"guess": 0.1})
    np.testing.assert_allclose(art.lines["attention"].get_ydata(), [0.9, 0.8, 0.7])
    np.testing.assert_allclose(art.lines["none"].get_xdata(), lengths)
    band = art.bands["attention"].get_paths()[0].vertices[:, 1]
    assert band.min() == pytest.approx(0.6) and band.max() == pytest.approx(1.0)
    assert art.baselines[0].get_ydata()[0] == 0.1
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["attention (mean of 2 seeds)", "none"]


def test_by_length_refuses_values_of_the_wrong_length(ax):
    with pytest.raises(ValueError, match=r"runs\['a'\]: expected an array \(seeds, 3\) or \(3,\), got shape \(1, 2\)"):
        draw_by_length(ax, [1, 2, 3], {"a": [1, 2]}, "y")


def test_seed_bars_are_means_with_every_seed_as_a_dot(ax):
    values = np.array([[0.4, 0.9], [0.6, 0.7], [0.5, 0.8]])
    art = draw_seed_bars(ax, ["vanilla", "NFG"], values, "loss", reference=0.5, highlight=("NFG",))
    np.testing.assert_allclose([b.get_height() for b in art.bars], [0.5, 0.8])
    np.testing.assert_allclose(art.dots[1].get_offsets()[:, 1], [0.9, 0.7, 0.8])
    assert art.bars[0].get_facecolor() != art.bars[1].get_facecolor()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["vanilla", "NFG"]
    assert art.reference.get_ydata()[0] == 0.5


def test_attention_map_shows_the_weights(ax):
    w = np.array([[0.0, 0.1, 0.9], [0.2, 0.7, 0.1]])
    im = draw_attention_map(ax, w, ["1", "2", "3"], ["3", "2"])
    np.testing.assert_array_equal(im.get_array(), w)
    assert im.get_clim() == (0.0, 1.0)
    with pytest.raises(ValueError, match=r"weights: expected shape \(T_out, S\) = \(2, 2\), got \(2, 3\)"):
        draw_attention_map(ax, w, ["1", "2"], ["3", "2"])
