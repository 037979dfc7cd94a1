"""Log in to the Airflow UI in headless Chromium and look at the Sources page.

Screenshots (tests/smoke/screenshots/): ``01_home.png`` the UI home after login,
``02_browse_menu.png`` the Browse menu with its Sources entry, ``03_sources_in_ui.png`` the page
inside the UI (iframe), ``04_sources.png`` the page itself at 1280 px, ``05_failures.png`` a
source's failing URLs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from pipeline import ingest, load
from pipeline.config import settings
from pipeline.sources import get_source, load_sources

pytestmark = pytest.mark.smoke

JAN20 = datetime(2020, 1, 20, tzinfo=UTC)
JAN24 = datetime(2020, 1, 24, tzinfo=UTC)
WAIT = 60  # seconds for a page or an element


@pytest.fixture
def warehouse_data(engine, registry, sites):
    """Every fixture source registered; duvar loaded, moved to today and annotated (healthy);
    turkish-minute left in 2020 (stale); hurriyet's last run failed (failing)."""
    sources = load_sources(settings().sources_file)
    with engine.begin() as conn:
        for s in sources:
            load.upsert_source(conn, s)
    for source_id in ("duvar-english", "turkish-minute", "hurriyet-daily-news"):
        ingest.run_interval(engine, get_source(sources, source_id), JAN20, JAN24)
    with engine.begin() as conn:  # hurriyet's next run fails
        run_id = load.start_run(conn, "hurriyet-daily-news", JAN24, JAN24 + timedelta(hours=1), "cli")
    with engine.begin() as conn:
        load.finish_run(conn, run_id, "failed", "ConnectionError: boom")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "update core.articles set"
                "  published_at = published_at + (select now() - interval '20 minutes' - max(published_at)"
                "      from core.articles where source_id = 'duvar-english'),"
                "  first_seen_at = now() - interval '1 hour'"
                " where source_id = 'duvar-english'"
            )
        )
        conn.execute(sa.text(
            "insert into core.annotations (article_id, version, extractor_version, model,"
            "  model_version, annotated_at)"
            " select a.article_id, 1, 'smoke', 'smoke', '0', coalesce(d.first_seen_at, a.first_seen_at)"
            "   + make_interval(secs => 40 * row_number() over (order by a.article_id))"
            " from core.articles a"
            " left join core.discovered_urls d on d.source_id = a.source_id and d.url = a.url"
            " where a.source_id = 'duvar-english'"
        ))  # fmt: skip
        return {r.source_id for r in conn.execute(sa.text("select source_id from core.sources"))}


def _login(driver, server) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(driver, WAIT)
    driver.get(server.base_url + "/")
    wait.until(ec.url_contains("/auth/login"))
    wait.until(ec.element_to_be_clickable((By.NAME, "username"))).send_keys(server.username)
    driver.find_element(By.NAME, "password").send_keys(server.password)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(lambda d: "/auth/login" not in d.current_url and d.get_cookie("_token"))


def test_sources_page_in_the_airflow_ui(api_server, browser, screenshots, warehouse_data) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, WAIT)
    # not logged in: the page sends the browser to Airflow's login
    browser.get(api_server.base_url + "/newspipe/sources")
    wait.until(ec.url_contains("/auth/login"))

    _login(browser, api_server)
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "body"), "Welcome"))
    browser.save_screenshot(str(screenshots / "01_home.png"))

    # the UI's Browse menu lists Sources; it opens the page inside the UI, in an iframe
    browser.find_element(By.XPATH, "//button[normalize-space(.)='Browse']").click()
    entry = wait.until(
        ec.element_to_be_clickable((By.XPATH, "//*[@role='menuitem'][normalize-space(.)='Sources']"))
    )
    browser.save_screenshot(str(screenshots / "02_browse_menu.png"))
    entry.click()
    wait.until(ec.url_to_be(api_server.base_url + "/plugin/sources"))
    frame = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "iframe")))
    assert frame.get_attribute("src") == api_server.base_url + "/newspipe/sources"
    wait.until(ec.frame_to_be_available_and_switch_to_it(frame))
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "tr[data-source-id]")))
    in_frame = {
        r.get_attribute("data-source-id")
        for r in browser.find_elements(By.CSS_SELECTOR, "tr[data-source-id]")
    }
    browser.switch_to.default_content()
    browser.save_screenshot(str(screenshots / "03_sources_in_ui.png"))
    assert in_frame == warehouse_data

    # the page on its own, 1280 px wide
    browser.get(api_server.base_url + "/newspipe/sources")
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "tr[data-source-id]")))
    assert browser.title == "Sources · newspipe"
    rows = {
        r.get_attribute("data-source-id"): r
        for r in browser.find_elements(By.CSS_SELECTOR, "tr[data-source-id]")
    }
    assert set(rows) == warehouse_data
    assert rows["duvar-english"].get_attribute("data-state") == "healthy"
    assert rows["turkish-minute"].get_attribute("data-state") == "stale"
    assert rows["bianet-english"].get_attribute("data-state") == "no data"
    assert rows["hurriyet-daily-news"].get_attribute("data-state") == "failing"
    assert "Duvar English" in rows["duvar-english"].text
    bars = rows["duvar-english"].find_elements(By.CSS_SELECTOR, "svg.spark rect")
    assert len(bars) == 14 and sum(int(b.get_attribute("data-count")) for b in bars) > 0
    assert all(b.size["height"] >= 1 for b in bars)  # the sparkline is drawn
    browser.set_window_size(1280, max(900, browser.execute_script("return document.body.scrollHeight") + 140))
    right, room = browser.execute_script(
        "const t = document.querySelector('table.sources').getBoundingClientRect();"
        "const b = document.body; const pad = parseFloat(getComputedStyle(b).paddingRight);"
        "return [t.right, document.documentElement.clientWidth - pad];"
    )
    assert right <= room, f"the table overflows the page at 1280 px: {right} > {room}"
    browser.save_screenshot(str(screenshots / "04_sources.png"))
    errors = [
        e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "/newspipe/" in e["message"]
    ]
    assert not errors, errors  # no blocked resource, no CSP violation on our pages

    # its failing URLs: the fixture page answering 500 is one of them
    rows["duvar-english"].find_element(By.CSS_SELECTOR, "a.failed-urls").click()
    wait.until(ec.url_contains("/newspipe/sources/duvar-english/failures"))
    failures = browser.find_elements(By.CSS_SELECTOR, "table.failures tbody tr")
    assert any("500" in r.text and "fetch" in r.text for r in failures)
    browser.save_screenshot(str(screenshots / "05_failures.png"))
