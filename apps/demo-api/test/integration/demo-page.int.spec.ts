import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { randomBytes } from 'node:crypto';
import { PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { pollUntil, search, startLocalDemo, type LocalDemo } from '../helpers/local-demo';

/** Debian's chromium (apps/demo-api/scripts/ensure-chromium.sh installs it); Playwright downloads nothing. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const WORKSPACE_ROOT = path.resolve(__dirname, '../../../..');
const SCREENSHOT = path.join(WORKSPACE_ROOT, 'tmp', 'demo-page.png');
const FAILURE_SCREENSHOT = path.join(WORKSPACE_ROOT, 'tmp', 'demo-page-failure.png');

jest.setTimeout(660_000);

describe('demo page in a browser', () => {
  let demo: LocalDemo;
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    // A fresh machine has no browser: install Debian's (idempotent; apt needs root or sudo).
    execFileSync('bash', [path.join(WORKSPACE_ROOT, 'apps/demo-api/scripts/ensure-chromium.sh')], { stdio: 'inherit', timeout: 600_000 });
    demo = await startLocalDemo();
    userDataDir = mkdtempSync(path.join(tmpdir(), 'demo-api-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1360, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
  });

  afterAll(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await demo?.close();
  });

  it('puts a product through the form and shows it in the search results, with the sync panel live', async () => {
    // given
    const word = `zq${randomBytes(3).toString('hex')}`;
    const productId = `p-${word}`;
    await page.goto(demo.server.url);
    await page.getByTestId('search-q').fill(word);
    await page.getByTestId('search-submit').click();
    await expectText(page, 'search-meta', /^0 results/);

    // when
    await page.getByTestId('product-id').fill(productId);
    await page.getByTestId('product-name').fill(`Walnut lamp ${word}`);
    await page.getByTestId('product-category').fill('lighting');
    await page.getByTestId('product-price').fill('79.90');
    await page.getByTestId('product-tags').fill('walnut, lamp');
    await page.getByTestId('product-description').fill('A warm walnut desk lamp.');
    await page.getByTestId('product-put').click();

    // then: the page shows the product once the indexer has made it searchable
    const result = page.locator(`[data-testid="result"][data-id="product:${productId}"]`);
    await result.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await result.innerText()).toContain(`Walnut lamp ${word}`);
    expect(await result.innerText()).toContain('79.90');
    await expectText(page, 'activity', new RegExp(`product ${productId} visible in search after \\d+\\.\\d s`));
    expect((await search(demo.server, `q=${word}`)).items).toEqual([
      expect.objectContaining({ productId, price: 79.9, tags: ['walnut', 'lamp'] }),
    ]);

    // and: the sync panel reports the runner, the documents and an empty dead-letter queue
    await expectText(page, 'stat-docs', /^[1-9]\d*$/);
    await expectText(page, 'stat-dlq', /^0$/);
    await expectText(page, 'stat-lag', /\d+(\.\d)? (ms|s)$/);
    await expectText(page, 'stat-last', /ago$/);

    // and: a screenshot for a person to look at
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
  });

  it('shows the issues of an invalid product next to the form instead of writing it', async () => {
    // when
    await page.getByTestId('product-id').fill('bad id!');
    await page.getByTestId('product-name').fill('Broken');
    await page.getByTestId('product-price').fill('1');
    await page.getByTestId('product-put').click();

    // then
    await expectText(page, 'product-errors', /productId: expected 1-64 characters/);
  });

  it('lists a poison record in the failure panel with its reason, and replays it from the page once fixed', async () => {
    // given: a product whose price is a string, written straight to the table (the API would refuse it)
    const word = `zq${randomBytes(3).toString('hex')}`;
    const productId = `p-${word}`;
    await page.goto(demo.server.url);
    await putProduct(productId, word, { S: 'twelve' });

    // then: the failure panel shows it once the failure handler archived the DLQ message
    const failure = page.locator('[data-testid="failure"]', { hasText: `PRODUCT#${productId}` });
    await failure.waitFor({ state: 'visible', timeout: 20_000 });
    const text = await failure.innerText();
    expect(text).toContain('poison-record');
    expect(text).toMatch(/price: .*expected number, received string/);
    expect(text).toMatch(/seq \d+/);
    await page.screenshot({ path: FAILURE_SCREENSHOT, fullPage: true });

    // when: the item is fixed in the table, and the user replays the failure
    await putProduct(productId, word, { N: '12' });
    await failure.getByTestId('failure-replay').click();

    // then: the outcome is shown, the failure leaves the panel, and the product is searchable
    // (the stream may index the fix before replay reads it: replay then reports it "already newer")
    await expectText(
      page,
      'replay-outcome',
      new RegExp(`^Last replay — pk=PRODUCT#${productId}, sk=PRODUCT: replayed: .*0 failed$`),
      60_000,
    );
    await expectText(page, 'activity', new RegExp(`replay pk=PRODUCT#${productId}, sk=PRODUCT: replayed: `));
    await failure.waitFor({ state: 'detached', timeout: 10_000 });
    expect((await search(demo.server, `q=${word}`)).items).toEqual([expect.objectContaining({ productId, price: 12 })]);
  });

  async function putProduct(productId: string, word: string, price: AttributeValue): Promise<void> {
    await demo.clients.dynamodb.send(
      new PutItemCommand({
        TableName: demo.config.tableName,
        Item: {
          pk: { S: `PRODUCT#${productId}` },
          sk: { S: 'PRODUCT' },
          entityType: { S: 'product' },
          productId: { S: productId },
          name: { S: `Lamp ${word}` },
          description: { S: 'A lamp.' },
          category: { S: 'lighting' },
          price,
          tags: { L: [] },
          inStock: { BOOL: true },
          updatedAt: { S: new Date().toISOString() },
        },
      }),
    );
  }
});

async function expectText(page: Page, testId: string, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  let text = '';
  await pollUntil(
    `${testId} matches ${pattern}`,
    async () => {
      text = (await page.getByTestId(testId).innerText()).trim();
      return pattern.test(text);
    },
    timeoutMs,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; it shows: ${JSON.stringify(text)}`);
  });
}
