#!/usr/bin/env node
// Open BPMN files in bpmn-js's viewer (in headless Chromium), as a Camunda or bpmn.io
// user would see them: report importXML warnings, measure what the picture shows
// (flows through shapes that are not their ends, labels away from their flow or on
// top of another label or shape) and save a PNG of each.
//
//   npm install --prefix /tmp/bjs bpmn-js puppeteer-core     (PUPPETEER_SKIP_DOWNLOAD=1)
//   NODE_MODULES=/tmp/bjs/node_modules CHROMIUM=/usr/bin/chromium \
//     node tools/bpmn_view.js OUT_DIR a.bpmn b.bpmn ...
//
// Prints one JSON line per file; exits 1 when any file has warnings or problems.
// Not part of `make test` (it needs npm and a browser).

'use strict';

const fs = require('fs');
const path = require('path');

const modules = process.env.NODE_MODULES || path.join(process.cwd(), 'node_modules');
const puppeteer = require(path.join(modules, 'puppeteer-core'));
const viewerJs = path.join(modules, 'bpmn-js', 'dist', 'bpmn-viewer.development.js');
const css = ['diagram-js.css', 'bpmn-js.css', 'bpmn-font/css/bpmn.css']
  .map((name) => path.join(modules, 'bpmn-js', 'dist', 'assets', name))
  .filter((file) => fs.existsSync(file));

// runs in the page: what the viewer drew, measured on its own element registry
function measure() {
  const registry = window.viewer.get('elementRegistry');
  const all = registry.getAll();
  const inside = (r, x, y) => x > r.x + 1 && x < r.x + r.width - 1 && y > r.y + 1
    && y < r.y + r.height - 1;
  const boxes = all.filter((e) => !e.waypoints && e.type !== 'label'
    && !['bpmn:Process', 'bpmn:Collaboration', 'bpmn:Participant', 'bpmn:Lane']
      .includes(e.type));
  const flows = all.filter((e) => e.waypoints);
  // does segment p-q pass through the inside of box r? (sampled every 2 px)
  const crosses = (p, q, r) => {
    const steps = Math.max(1, Math.ceil(Math.hypot(q.x - p.x, q.y - p.y) / 2));
    for (let i = 0; i <= steps; i += 1) {
      const x = p.x + (q.x - p.x) * i / steps;
      const y = p.y + (q.y - p.y) * i / steps;
      if (inside(r, x, y)) return true;
    }
    return false;
  };
  const through = [];
  for (const flow of flows) {
    const ends = [flow.source && flow.source.id, flow.target && flow.target.id];
    for (const box of boxes) {
      if (ends.includes(box.id)) continue;
      const pts = flow.waypoints;
      for (let i = 0; i + 1 < pts.length; i += 1) {
        if (crosses(pts[i], pts[i + 1], box)) {
          through.push(`${flow.id} through ${box.businessObject.name || box.id}`);
          break;
        }
      }
    }
  }
  const distance = (pt, pts) => {
    let best = Infinity;
    for (let i = 0; i + 1 < pts.length; i += 1) {
      const a = pts[i]; const b = pts[i + 1];
      const len2 = (b.x - a.x) ** 2 + (b.y - a.y) ** 2 || 1;
      const t = Math.max(0, Math.min(1, ((pt.x - a.x) * (b.x - a.x)
        + (pt.y - a.y) * (b.y - a.y)) / len2));
      best = Math.min(best, Math.hypot(a.x + t * (b.x - a.x) - pt.x,
        a.y + t * (b.y - a.y) - pt.y));
    }
    return best;
  };
  const overlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width
    && a.y < b.y + b.height && b.y < a.y + a.height;
  const labels = all.filter((e) => e.type === 'label' && e.labelTarget
    && e.labelTarget.waypoints && e.businessObject.name);
  const strayLabels = [];
  const labelOnBox = [];
  for (const label of labels) {
    const mid = { x: label.x + label.width / 2, y: label.y + label.height / 2 };
    const own = distance(mid, label.labelTarget.waypoints);
    const nearest = flows.filter((f) => f !== label.labelTarget)
      .map((f) => ({ id: f.id, d: distance(mid, f.waypoints) }))
      .sort((a, b) => a.d - b.d)[0];
    if (nearest && nearest.d + 1 < own) {
      strayLabels.push(`'${label.businessObject.name}' nearer ${nearest.id} `
        + `(${nearest.d.toFixed(0)} px) than its own flow (${own.toFixed(0)} px)`);
    }
    for (const box of boxes) {
      if (overlap(label, box)) labelOnBox.push(`'${label.businessObject.name}' on `
        + `${box.businessObject.name || box.id}`);
    }
  }
  const labelOnLabel = [];
  const allLabels = all.filter((e) => e.type === 'label' && e.businessObject.name);
  for (let i = 0; i < allLabels.length; i += 1) {
    for (let j = i + 1; j < allLabels.length; j += 1) {
      if (overlap(allLabels[i], allLabels[j])) {
        labelOnLabel.push(`'${allLabels[i].businessObject.name}' / `
          + `'${allLabels[j].businessObject.name}'`);
      }
    }
  }
  return { shapes: boxes.length, flows: flows.length, through, strayLabels, labelOnBox,
    labelOnLabel };
}

async function main() {
  const [outDir, ...files] = process.argv.slice(2);
  if (!outDir || files.length === 0) {
    console.error('usage: node tools/bpmn_view.js OUT_DIR FILE.bpmn ...');
    process.exit(2);
  }
  fs.mkdirSync(outDir, { recursive: true });
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  let bad = 0;
  try {
    for (const file of files) {
      const page = await browser.newPage();
      await page.setViewport({ width: 2400, height: 1400, deviceScaleFactor: 1 });
      await page.setContent('<html><body style="margin:0;background:white">'
        + '<div id="canvas" style="width:2400px;height:1400px"></div></body></html>');
      for (const sheet of css) await page.addStyleTag({ path: sheet });
      await page.addScriptTag({ path: viewerJs });
      const xml = fs.readFileSync(file, 'utf8');
      const result = await page.evaluate(async (text) => {
        // eslint-disable-next-line no-undef
        window.viewer = new BpmnJS({ container: '#canvas' });
        try {
          const { warnings } = await window.viewer.importXML(text);
          const canvas = window.viewer.get('canvas');
          canvas.zoom('fit-viewport');
          const box = canvas.viewbox();
          return { warnings: warnings.map((w) => w.message), inner: box.inner };
        } catch (err) {
          return { error: String(err && err.message ? err.message : err), warnings: [] };
        }
      }, xml);
      const report = { file: path.basename(file), ...result };
      if (!result.error) {
        Object.assign(report, await page.evaluate(measure));
        // the whole diagram at SCALE (default 1.5), with a margin
        const scale = Number(process.env.SCALE || 1.5);
        const { inner } = result;
        const width = Math.min(6000, Math.ceil((inner.width + 40) * scale));
        const height = Math.min(6000, Math.ceil((inner.height + 40) * scale));
        await page.setViewport({ width, height, deviceScaleFactor: 1 });
        await page.evaluate((w, h, box) => {
          const el = document.getElementById('canvas');
          el.style.width = `${w}px`;
          el.style.height = `${h}px`;
          const canvas = window.viewer.get('canvas');
          canvas.resized();
          canvas.viewbox({ x: box.x - 20, y: box.y - 20, width: box.width + 40,
            height: box.height + 40 });
        }, width, height, inner);
        const png = path.join(outDir, path.basename(file).replace(/\.bpmn$/, '') + '.png');
        await page.screenshot({ path: png, fullPage: false });
        report.png = png;
      }
      delete report.inner;
      const problems = (report.warnings || []).length + (report.through || []).length
        + (report.strayLabels || []).length + (report.labelOnBox || []).length
        + (report.labelOnLabel || []).length + (report.error ? 1 : 0);
      if (problems) bad += 1;
      console.log(JSON.stringify(report));
      await page.close();
    }
  } finally {
    await browser.close();
  }
  process.exit(bad ? 1 : 0);
}

main().catch((err) => { console.error(err); process.exit(2); });
