import { screenFor } from '../../../../renderer/src/app/App';
import { parseRoute } from '../../../../renderer/src/app/router';
import { compareHref } from '../../../../renderer/src/runs/compare/compare-href';

describe('routes of the comparison and of a new run from earlier settings', () => {
  it('#/compare/<id>/<id>… lists the runs in order; #/new/from/<id> names the run', () => {
    expect(screenFor(parseRoute(compareHref(['run-a', 'run b'])))).toEqual({ compare: ['run-a', 'run b'] });
    expect(screenFor(parseRoute('#/compare'))).toEqual({ compare: [] });
    expect(screenFor(parseRoute('#/new/from/run-1'))).toEqual({ fromRun: 'run-1' });
    // The wizard's own steps are unchanged.
    expect(screenFor(parseRoute('#/new/settings'))).toEqual({ step: 'settings' });
    expect(screenFor(parseRoute('#/new/from'))).toEqual({});
  });
});
