"""Screen-reader users jump by headings: on the public pages a heading never skips a level (h1 → h3)."""
import re

import pytest


@pytest.mark.parametrize("path", ["/", "/products", "/products?stars=5", "/products/mien-dong-binh-lieu",
                                  "/sales-points", "/producers", "/search?q=mat+ong"])
def test_headings_go_down_one_level_at_a_time(demo_client, path):
    html = demo_client.get(path).get_data(as_text=True)
    main = html[html.index("<main"):html.index("</main>")]
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", main)]
    assert levels and levels[0] == 1, path
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, (path, levels)
