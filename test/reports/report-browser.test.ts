import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { renderHtml } from '../../reports/html.js';
import { readReportInput } from '../../reports/report-input.js';
import { tempDir } from '../helpers/mesh-fixture.js';
import { chromiumPath, legibilityProblems, NO_BROWSER } from './browser.js';
import { crowdedJournal, deviatedJournal, outageJournal } from './journal-fixture.js';

const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));
const WIDTHS = [1200, 420];
const executablePath = chromiumPath();

describe('every report kind is legible in a real browser, at 1200 px and at 420 px', { skip: executablePath ? false : NO_BROWSER }, () => {
  const dir = tempDir();
  let browser: Browser;
  const pages = new Map<string, string>();

  before(async () => {
    const write = (name: string, html: string) => pages.set(name, dir.file(`${name}.html`, html));
    const journal = (name: string, j: object) => dir.file(`${name}.json`, JSON.stringify(j));
    write('experiment', renderHtml(readReportInput(journal('held', outageJournal()))));
    write('deviated experiment', renderHtml(readReportInput(journal('deviated', deviatedJournal()))));
    write('crowded experiment', renderHtml(readReportInput(journal('crowded', crowdedJournal()))));
    write('older journal', renderHtml(readReportInput(fixture('ctk-journal/faultmesh-0.1.0-journal.json'))));
    const day = join(dir.path, 'day');
    mkdirSync(day);
    writeFileSync(join(day, 'a.json'), JSON.stringify(outageJournal()));
    writeFileSync(join(day, 'b.json'), JSON.stringify({ ...deviatedJournal(), start: new Date(Date.parse(outageJournal().start) + 3_600_000).toISOString() }));
    writeFileSync(join(day, 'gameday.json'), JSON.stringify({ gameday: 'Payments resilience day', haltedBy: null }));
    write('game day summary', renderHtml(readReportInput(day)));
    write('canary rolled back', renderHtml(readReportInput(fixture('canary/rolled-back.json'))));
    write('canary promoted', renderHtml(readReportInput(fixture('canary/promoted.json'))));
    browser = await chromium.launch({ executablePath });
  });
  /** A page in a fresh context. tsx (esbuild) wraps named functions in `__name(...)`: the page gets a no-op one, so the checks run there as written. */
  const open = async (width: number) => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.addInitScript('globalThis.__name = (f) => f;');
    return page;
  };
  after(async () => {
    await browser?.close();
    dir.remove();
  });

  for (const width of WIDTHS) {
    it(`at ${width} px: chart text of 11 px or more, no label outside its chart or over another, no sideways page, tables in their box, dates on two lines at most`, async () => {
      const page = await open(width);
      try {
        for (const [name, file] of pages) {
          await page.goto(pathToFileURL(file).href);
          const charts = await page.locator('svg.chart').count();
          assert.ok(charts > 0, `${name}: its charts are drawn`);
          const problems = await page.evaluate(legibilityProblems);
          assert.deepEqual(problems, [], `${name} at ${width} px`);
        }
      } finally {
        await page.close();
      }
    });
  }

  it('lays the charts out two to a row at 1200 px and one to a row at 420 px', async () => {
    for (const [width, perRow] of [[1200, 2], [420, 1]] as const) {
      const page = await open(width);
      try {
        await page.goto(pathToFileURL(pages.get('experiment')!).href);
        const tops = await page.locator('.charts figure').evaluateAll((figures) => figures.slice(0, 2).map((f) => f.getBoundingClientRect().top));
        assert.equal(new Set(tops).size, perRow === 2 ? 1 : 2, `${width} px`);
      } finally {
        await page.close();
      }
    }
  });
});
