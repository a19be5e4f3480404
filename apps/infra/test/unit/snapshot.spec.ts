import { stableTemplate, synthesizeInfra } from '../helpers/factories';

describe('app stack snapshot', () => {
  it('matches the reviewed template (asset hashes masked)', () => {
    // given / when
    const { template } = synthesizeInfra();

    // then
    expect(stableTemplate(template)).toMatchSnapshot();
  });
});
