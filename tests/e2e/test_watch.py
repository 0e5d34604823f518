"""Watch it learn, in a real browser: the heatmap moves between two frames while training at a
watchable speed, pause and one step (counter +1, the loss moves), reset to the same starting
predictions, a clicked cell's breakdown adds up to the shown prediction, a classroom link opens
with controls hidden, and the learning rate beside the bar keeps its value across pages. Also
writes the README's "Watch it learn" screenshots (docs/screenshots/watch_*.png)."""

from __future__ import annotations

import math
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e import conftest as e2e
from ui.i18n import _ as say_in

pytestmark = pytest.mark.e2e


HEATMAP = """(sel) => {  // the chart shown now (a replaced one may linger a moment)
  const shown = Array.from(document.querySelectorAll(sel + ' .js-plotly-plot'))
    .filter(p => p._fullData && p.offsetParent !== null);
  const el = shown[shown.length - 1];
  if (!el) return null;
  const layers = el._fullData.filter(t => t.type === 'heatmap');
  const z = layers[0].z.map(row => Array.from(row));
  for (const layer of layers.slice(1)) {
    layer.z.forEach((row, r) => Array.from(row).forEach((v, c) => {
      if (v !== null && !Number.isNaN(v)) z[r][c] = v; }));
  }
  return {z: z, meta: el.layout.meta || {},
          filled: layers.length > 1 ? layers[1].z.map(row => Array.from(row)) : null}; }"""
LOSS = """() => { const el = document.querySelector('.st-key-loss_chart .js-plotly-plot');
  return el && el._fullData.length ? Array.from(el._fullData[0].y) : []; }"""


def heatmap(page, key: str = "live_heatmap") -> dict:
    for _ in range(50):  # a frame may be replacing the chart at this very moment
        found = page.evaluate(HEATMAP, f".st-key-{key}")
        if found:
            return found
        page.wait_for_timeout(100)
    raise AssertionError(f"no heatmap in {key}")


def next_frame(page, after: int, seconds: float = 60) -> dict:
    """The first live heatmap drawn at an epoch past ``after`` (polled: how soon it comes
    depends on how busy the machine is, not on the feature)."""
    for _ in range(int(seconds * 10)):
        frame = heatmap(page)
        if frame["meta"].get("epoch", -1) > after:  # the data before any run has no epoch
            return frame
        page.wait_for_timeout(100)
    raise AssertionError(f"no frame past epoch {after} within {seconds} s")


def counter(page) -> int:
    text = page.inner_text(".st-key-epoch_counter [data-testid='stMetricValue']")
    return int(text.replace(",", "").strip())


def open_train(new_page, server_url, lang: str = "en", height: int = 1000):
    page = new_page(e2e.LOCALES[lang], height=height)
    e2e.goto(page, f"{server_url}/train")
    e2e.settle(page, 800)
    return page


SPEED_NAMES = {"en": "{n}/s", "ko": "초당 {n}"}
FULL_SPEED = {"en": "full", "ko": "최대"}


def watchable(page, lang: str = "en", epochs: str = "1000") -> None:
    """Train at 10 epochs a second (full speed is the default), for a long time."""
    page.click(f".st-key-live_speed button:has-text('{SPEED_NAMES[lang].format(n=10)}')")
    e2e.settle(page)
    e2e.set_number(page, "tc-mf-epochs", epochs)


# ----- live training -------------------------------------------------------------------------
def test_the_heatmap_moves_between_two_frames_while_training(new_page, server_url):
    page = open_train(new_page, server_url)
    e2e.press(page, "reset")
    assert counter(page) == 0
    watchable(page)
    page.click(".st-key-train button")
    first = next_frame(page, after=0)
    second = next_frame(page, after=first["meta"]["epoch"])
    assert second["meta"]["epoch"] > first["meta"]["epoch"] > 0
    assert second["z"] != first["z"]
    map_epoch = """() => {  // the map shown now (a replaced one may linger a moment)
        const shown = Array.from(document.querySelectorAll(
            '.st-key-live_embedding_map .js-plotly-plot')).filter(p => p.offsetParent !== null);
        return shown.length ? shown[shown.length - 1].layout.meta.epoch : -1; }"""
    page.wait_for_function(f"() => ({map_epoch})() >= {first['meta']['epoch']}",
                           timeout=30_000)
    # observed cells stay apart from predicted ones in every frame: two layers, corner marks
    assert second["meta"]["n_predicted"] == 9 and second["meta"]["n_observed"] == 63
    e2e.press(page, "stop", 800)  # Pause
    assert counter(page) >= second["meta"]["epoch"]


def test_pause_then_step_adds_one_epoch_and_the_loss_moves(new_page, server_url):
    page = open_train(new_page, server_url)
    watchable(page)
    page.click(".st-key-train button")
    next_frame(page, after=2)
    e2e.press(page, "stop", 800)  # Pause
    paused = counter(page)
    losses = page.evaluate(LOSS)
    assert paused > 0 and len(losses) == paused
    e2e.press(page, "step")
    assert counter(page) == paused + 1
    after = page.evaluate(LOSS)
    assert len(after) == paused + 1 and after[:paused] == losses
    assert after[-1] != losses[-1]
    assert heatmap(page)["meta"]["epoch"] == paused + 1
    assert "Train goes on with #1 MF" in page.inner_text(".st-key-bar_rule")


def test_reset_gives_identical_starting_predictions(new_page, server_url):
    page = open_train(new_page, server_url)
    e2e.press(page, "reset")
    start = heatmap(page)
    assert start["meta"]["epoch"] == 0
    e2e.press(page, "step")
    e2e.press(page, "step")
    assert counter(page) == 2 and heatmap(page)["z"] != start["z"]
    e2e.press(page, "reset")
    assert counter(page) == 0
    again = heatmap(page)
    assert again["meta"]["epoch"] == 0 and again["z"] == start["z"]


def test_learning_rate_changed_while_paused(new_page, server_url):
    page = open_train(new_page, server_url)
    e2e.press(page, "reset")
    e2e.press(page, "step")
    e2e.set_number(page, "tc-mf-lr", "0.01")
    assert "Train starts a new run: Learning rate changed (0.1 → 0.01)" in \
        page.inner_text(".st-key-bar_rule")
    page.click(".st-key-go_on_lr label")  # go on with run #1 at the new rate instead
    e2e.settle(page)
    e2e.press(page, "step")
    assert counter(page) == 2
    main = page.inner_text("[data-testid='stMain']")
    assert "learning rate 0.01 from epoch 1" in main
    assert "Train goes on with #1 MF from epoch 2" in page.inner_text(".st-key-bar_rule")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_learning_rate_keeps_its_value_after_results_and_compare(new_page, server_url, lang):
    """Issue 13, item 3: a run at learning rate 0.1, a visit to Results and Compare, and the
    field beside the bar still reads 0.1 (it read 0.00001, its minimum), agreeing with the
    run: the bar goes on with it."""
    page = open_train(new_page, server_url, lang)
    e2e.set_number(page, "tc-mf-lr", "0.1")
    e2e.press(page, "train", 800)
    for name in ("results", "compare", "train"):
        e2e.nav(page, name)
    assert page.input_value(".st-key-tc-mf-lr input") == "0.1"
    rule = page.inner_text(".st-key-bar_rule")
    assert ("Train goes on with #1 MF" in rule if lang == "en" else
            "학습을 누르면 #1 MF를 에폭" in rule), rule


# ----- a cell's arithmetic -------------------------------------------------------------------
def breakdown_rows(page) -> dict[str, list[float]]:
    rows = {}
    for row in page.locator(".st-key-cell_breakdown table tbody tr").all():
        name = row.locator("th").inner_text().strip()
        value = row.locator("td").last.inner_text().strip()
        rows[name] = [float(x) for x in value.strip("[]").split(",")
                      if x.strip() and "…" not in x]
    return rows


def click_cell(page, key: str, r: int, c: int, rows: int, cols: int) -> None:
    box = page.locator(f".st-key-{key} .nsewdrag").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] * (c + 0.5) / cols,
                     box["y"] + box["height"] * (r + 0.5) / rows)
    e2e.settle(page, 800)


def test_a_clicked_cells_breakdown_adds_up_to_the_shown_prediction(new_page, server_url):
    page = new_page("en-US")
    e2e.goto(page, f"{server_url}/train?lang=en")
    e2e.settle(page)
    e2e.press(page, "train")
    e2e.nav(page, "results")
    page.locator(".st-key-heatmap").scroll_into_view_if_needed()
    shown = heatmap(page, "heatmap")
    filled = shown["filled"]
    r, c = next((r, c) for r, row in enumerate(filled) for c, v in enumerate(row)
                if v is not None and not math.isnan(v))
    rows, cols = len(filled), len(filled[0])
    click_cell(page, "heatmap", r, c, rows, cols)
    labels = page.evaluate("""([r, c]) => {
        const el = document.querySelector('.st-key-heatmap .js-plotly-plot');
        const t = el._fullData.find(t => t.name === 'cells');
        const k = t.x.findIndex((x, i) => x === c && t.y[i] === r);
        return [t.customdata[k][0], t.customdata[k][1]]; }""", [r, c])
    headline = page.inner_text(".st-key-cell_breakdown [data-testid='stText']")
    assert headline.startswith(f"{labels[0]} x {labels[1]}: predicted ")
    predicted = float(headline.split("predicted ")[1].split()[0])
    b = breakdown_rows(page)
    dot = b["dot product p_u · q_i"][0]
    assert abs(sum(b["products, factor by factor"]) - dot) < 1e-4
    score = b["score"][0]
    assert abs(dot + b["user bias b_u (W_bias)"][0] + b["item bias b_i (M_bias)"][0]
               - score) < 1e-4
    offset = b.get("offset: an untrained model starts at the average rating", [0.0])[0]
    sig = b["sigmoid: squashed between 0 and 1"][0]
    assert abs(1 / (1 + math.exp(-(score + offset))) - sig) < 1e-4
    formula = page.locator(".st-key-cell_breakdown table tbody tr").last.locator("td").first
    low, span = [float(x) for x in formula.inner_text().split("=")[-1].replace("× sig", "")
                 .split("+")]
    rating = b["predicted rating"][0]
    assert abs(low + span * sig - rating) < 1e-4
    assert abs(rating - predicted) < 1e-4 and abs(rating - filled[r][c]) < 1e-4
    # the clicked cell is outlined, and the same numbers come as code
    outline = page.evaluate("""() => document.querySelector('.st-key-heatmap .js-plotly-plot')
        ._fullData.filter(t => t.name === 'chosen cell').map(t => [t.x[0], t.y[0]])""")
    assert outline and outline[0] == [c, r]
    page.click(".st-key-cell_breakdown summary")
    e2e.settle(page)
    assert "W_feature = net.ebdd1(X1)" in page.inner_text(".st-key-cell_breakdown")


# ----- classroom mode ----------------------------------------------------------------------------


def test_a_classroom_link_opens_the_app_with_controls_hidden(new_page, server_url):
    teacher = open_train(new_page, server_url)
    teacher.click(".st-key-classroom summary")
    e2e.settle(teacher)
    for name in ("(lr)", "(play)", "(model)", "(code)"):
        e2e.type_and_choose(teacher, "classroom_hide", name)
    link = teacher.inner_text(".st-key-classroom_link code").strip()
    query = parse_qs(urlsplit(link).query)
    assert query["hide"] == ["model,play,code,lr"] and query["sample"] == ["solo"]
    assert teacher.locator(".st-key-live_speed").first.is_visible()  # the teacher sees all
    assert teacher.locator(".st-key-tc-mf-lr").first.is_visible()

    student = new_page("en-US")
    e2e.goto(student, link)
    e2e.settle(student, 800)
    assert student.locator(".st-key-live_speed").count() == 0  # "play": the pace
    assert student.locator(".st-key-model").is_hidden()
    assert student.locator(".st-key-tc-mf-lr").is_hidden()
    assert student.locator(".st-key-tc-mf-epochs").is_visible()
    for key in ("train", "stop", "step", "reset"):
        assert student.locator(f".st-key-{key} button").first.is_visible(), key
    assert student.locator(".st-key-classroom").count() == 0
    assert "control(s) are hidden" in student.inner_text("[data-testid='stSidebar']")
    e2e.press(student, "train")
    e2e.nav(student, "results")
    assert parse_qs(urlsplit(student.url).query)["hide"] == ["model,play,code,lr"]  # kept
    assert student.locator(".st-key-show_code").is_hidden()
    assert student.locator(".st-key-heatmap").is_visible()


# ----- README screenshots ----------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_watch_screenshots(new_page, server_url, lang):
    page = open_train(new_page, server_url, lang, height=960)
    written = []
    e2e.press(page, "reset")
    watchable(page, lang, epochs="200")
    page.click(".st-key-train button")
    next_frame(page, after=15)
    e2e.press(page, "stop", 800)  # Pause
    e2e.top_of(page, ".st-key-control_bar", 10)
    written.append(e2e.save(e2e.shot(page), f"watch_train_{lang}.png"))

    page.click(".st-key-tuning summary")
    e2e.settle(page)
    e2e.set_number(page, "tune_seconds", "8")
    e2e.press(page, "tune", 1000)
    page.wait_for_selector(".st-key-tune_table")
    e2e.top_of(page, ".st-key-tuning", 10)
    written.append(e2e.save(e2e.shot(page), f"watch_tuning_{lang}.png"))

    page.click(".st-key-classroom summary")
    e2e.settle(page)
    for name in ("(lr)", "(seed)", "(model)"):
        e2e.type_and_choose(page, "classroom_hide", name)
    e2e.top_of(page, ".st-key-classroom", 10)
    written.append(e2e.save(e2e.shot(page), f"watch_classroom_{lang}.png"))

    page.click(f".st-key-live_speed button:has-text('{FULL_SPEED[lang]}')")
    e2e.settle(page)
    e2e.press(page, "train")  # full speed, the rest of the 200 epochs
    e2e.nav(page, "results")
    page.locator(".st-key-heatmap").scroll_into_view_if_needed()
    click_cell(page, "heatmap", 8, 2, 9, 8)
    e2e.top_of(page, ".st-key-cell_breakdown", 200)
    written.append(e2e.save(e2e.shot(page), f"watch_cell_{lang}.png"))
    heading = say_in("The matrix as the product of two thin matrices", lang=lang)
    e2e.top_of(page, f"h3:has-text('{heading}')", 10)
    page.wait_for_timeout(600)
    written.append(e2e.save(e2e.shot(page), f"watch_factors_{lang}.png"))
    for path in written:
        assert path.exists() and 0 < path.stat().st_size < e2e.MAX_BYTES, path
