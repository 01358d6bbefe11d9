"""The crawl benchmark's reference: Scrapy alone downloads the requests the crawl made."""

import subprocess
import sys

from pipelines.demo.fixture_server import BoardServer, json_answer
from tests.conftest import PROJECT_ROOT


def test_scrapy_alone_downloads_every_request_again_even_a_repeated_one(tmp_path) -> None:
    with BoardServer() as server:
        # a board's pages: the same path asked three times, each answer in turn
        server.script("/lever/v0/postings/acme", *(json_answer([{"page": i}]) for i in range(3)))
        server.script("/greenhouse/v1/boards/acme/jobs/7", json_answer({"id": 7}))
        paths = ["/lever/v0/postings/acme?skip=0", "/lever/v0/postings/acme?skip=0"]
        paths += ["/lever/v0/postings/acme?skip=100", "/greenhouse/v1/boards/acme/jobs/7"]
        urls = tmp_path / "urls.txt"
        urls.write_text("\n".join(server.base_url + p for p in paths))
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.bare_scrapy", str(urls)],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("4 responses, ")
        # the server logs each request as asked, query included, in arrival order
        assert sorted(server.requested) == sorted(paths)
        assert not server.scripted["/lever/v0/postings/acme"]  # every page was served
