import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INFRA_VARIABLES, RETIRED_SETTINGS } from '../../src/config';

interface TargetConfig {
  readonly inputs?: readonly (string | Record<string, unknown>)[];
  readonly dependsOn?: readonly (string | { target: string; params?: string; projects?: readonly string[] })[];
}
const project = JSON.parse(readFileSync(join(__dirname, '..', '..', 'project.json'), 'utf8')) as { targets: Record<string, TargetConfig> };

describe('infra project targets', () => {
  it("keys synth's cache on every environment variable the app reads (or refuses)", () => {
    // given
    const envInputs = (project.targets['synth']?.inputs ?? []).flatMap((input) =>
      typeof input === 'object' && typeof input['env'] === 'string' ? [input['env']] : [],
    );

    // then
    const retired = Object.values(RETIRED_SETTINGS).flatMap(({ variable }) => (variable ? [variable] : []));
    expect(envInputs).toEqual(expect.arrayContaining([...Object.values(INFRA_VARIABLES), ...retired]));
  });

  it("keys synth's cache on the user's ~/.cdk.json, whose context the CDK CLI passes to the app", () => {
    // then
    expect(project.targets['synth']?.inputs).toContainEqual({ runtime: expect.stringContaining('$HOME/.cdk.json') });
  });

  it.each(['diff', 'deploy'])('%s synthesizes first with its own arguments (-c …) forwarded to synth', (target) => {
    // then
    expect(project.targets[target]?.dependsOn).toEqual([{ target: 'synth', params: 'forward' }]);
  });

  it('builds the bundles of both modes before synth', () => {
    // then
    expect(project.targets['synth']?.dependsOn).toEqual([
      { projects: expect.arrayContaining(['indexer', 'failure-handler', 'stream-reader', 'opensearch-writer']), target: 'bundle' },
    ]);
  });
});
