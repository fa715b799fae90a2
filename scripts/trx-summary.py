#!/usr/bin/env python3
"""Totals of the TRX results in a folder (one .trx per test project), for .ci/run.

Prints `PASSED FAILED` on the first line, then each failed test (up to 10) with the first lines of its message.
A test that errored, timed out or was aborted counts as failed. Exits non-zero when there is nothing to count
(no .trx, or one that cannot be read): the run broke before counting.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
FAILING = ("failed", "error", "timeout", "aborted")
SHOWN_TESTS, MESSAGE_LINES, LINE_WIDTH = 10, 3, 240


def main(folder):
    files = sorted(glob.glob(os.path.join(folder, "**", "*.trx"), recursive=True))
    if not files:
        sys.exit(f"no TRX results in {folder}")
    passed = failed = 0
    failures = []
    for path in files:
        try:
            run = ET.parse(path).getroot()
        except ET.ParseError as e:
            sys.exit(f"{path}: {e}")
        counters = run.find("t:ResultSummary/t:Counters", NS)
        if counters is None:
            sys.exit(f"{path}: no ResultSummary/Counters")
        passed += int(counters.get("passed", "0"))
        failed += sum(int(counters.get(name, "0")) for name in FAILING)
        for result in run.iterfind("t:Results/t:UnitTestResult", NS):
            if result.get("outcome", "").lower() in FAILING:
                message = result.findtext("t:Output/t:ErrorInfo/t:Message", "", NS)
                failures.append((result.get("testName", "?"), message))
    print(passed, failed)
    for name, message in failures[:SHOWN_TESTS]:
        print(f"test failed: {name}")
        for line in [line for line in message.splitlines() if line.strip()][:MESSAGE_LINES]:
            print("    " + line[:LINE_WIDTH])


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: trx-summary.py FOLDER")
    main(sys.argv[1])
