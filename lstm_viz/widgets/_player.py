"""Turn a ``Scene`` into an ipywidgets widget, static or live, by one argument.

Both modes show the same controls: one ``SelectionSlider`` per control, and
a ``Play`` button driving the control marked ``play``.
- static: every frame is rendered now; ``jslink``s (play -> slider.index ->
  stack.selected_index) switch frames in the browser with no kernel.
- live: one ``Image``; moving a slider calls ``Scene.show`` (artists updated
  in place) and re-encodes the figure.
"""
from __future__ import annotations

import ipywidgets as widgets

from ..words import tr
from ._frames import frame_bytes, new_figure, render_png, static_stack

__all__ = ["Animation", "build_widget", "MODES"]

MODES = ("static", "live")


class Animation(widgets.VBox):
    """The box every course widget returns.

    Python-side attributes (for tests and notebooks): ``mode``; ``scene``;
    ``figure`` and ``state`` (the drawn artists' handles); ``controls``
    (name -> SelectionSlider); ``play``; ``links`` (the ``jslink`` Link
    widgets); ``frames`` (static: every PNG); ``image`` (live: the one Image);
    ``message`` (an HTML widget showing errors from a student's code).
    """

    def choice(self) -> dict:
        """The option currently selected on every control."""
        return {name: self.scene_controls[name].options[s.index] for name, s in self.controls.items()}

    @property
    def frame_bytes(self) -> int:
        """Bytes the static frames take on the page (0 in live mode)."""
        return frame_bytes(self.frames)


def _sliders(scene):
    sliders, play = {}, None
    for c in scene.controls:
        s = widgets.SelectionSlider(options=list(c.labels), index=c.start, description=c.description,
                                    continuous_update=True, layout=widgets.Layout(width="420px"),
                                    style={"description_width": "initial"})
        s.add_class("gbg-control")
        s.add_class(f"gbg-control-{c.name}")
        sliders[c.name] = s
        if c.play:
            play = widgets.Play(min=0, max=len(c.options) - 1, value=c.start, interval=scene.interval,
                                description=tr("Play"), repeat=True)
            play.add_class("gbg-play")
    return sliders, play


def build_widget(scene, mode: str = "static", extra=()) -> Animation:
    """Build ``scene`` as an ``Animation`` in ``mode`` "static" or "live".

    ``extra``: further widgets appended under the picture (live-only buttons).
    """
    if mode not in MODES:
        raise ValueError(f"mode: expected one of {MODES}, got {mode!r}")
    fig = new_figure(scene.figsize, scene.dpi)
    state = scene.build(fig)
    sliders, play = _sliders(scene)
    links = []
    if play is not None:
        played = next(c.name for c in scene.controls if c.play)
        links.append(widgets.jslink((play, "value"), (sliders[played], "index")))
    message = widgets.HTML("")
    message.add_class("gbg-message")
    frames, image = [], None
    if mode == "static":
        def make_image(png):
            return widgets.Image(value=png, format="png")
        picture, stacks, frames = static_stack(scene, fig, state, make_image)
        for c, level in zip(scene.controls, stacks):
            for stack in level:
                links.append(widgets.jslink((sliders[c.name], "index"), (stack, "selected_index")))
    else:
        image = widgets.Image(format="png")
        picture = image
    picture.add_class("gbg-picture")
    rows = [widgets.HBox(([play] if play else []) + list(sliders.values())[:1])]
    rows += [widgets.HBox([s]) for s in list(sliders.values())[1:]]
    box = Animation(rows + [picture, message] + list(extra))
    box.add_class("gbg-widget")
    box.add_class(f"gbg-{scene.name}")
    box.add_class(f"gbg-{mode}")
    box.mode, box.scene, box.figure, box.state = mode, scene, fig, state
    box.controls, box.play, box.links = sliders, play, links
    box.frames, box.image, box.message = frames, image, message
    box.scene_controls = {c.name: c for c in scene.controls}
    if mode == "live":
        _wire_live(box)
    return box


def _wire_live(box: Animation) -> None:
    def redraw(change=None):
        try:
            box.scene.show(box.state, **box.choice())
        except Exception as exc:  # a student's function may raise anything; show it, keep going
            box.message.value = f"<pre style='color:#b00'>{type(exc).__name__}: {exc}</pre>"
            return
        box.message.value = ""
        box.image.value = render_png(box.figure, small=False)

    for slider in box.controls.values():
        slider.observe(redraw, names="index")
    box.redraw = redraw
    redraw()
