import { adminSectionsFor, workspacesFor } from './workspaces';

describe('the workspaces each role opens', () => {
  it.each([
    [['social_worker'], ['cases', 'inbox', 'outgoing']],
    [['saj_delegate'], ['cases', 'inbox', 'outgoing']],
    [['manager'], ['inbox', 'outgoing', 'dashboard', 'admin']],
    [['coordinator'], ['dashboard', 'admin']],
    [['admin'], ['dashboard', 'admin']],
    [['dpo'], ['dpo']],
  ] as const)('%j -> %j', (roles, workspaces) => {
    expect(workspacesFor(roles)).toEqual(workspaces);
  });

  it('keeps webhooks to administrators and managers', () => {
    expect(adminSectionsFor(['coordinator'])).toEqual(['organisations', 'staff', 'protocols']);
    expect(adminSectionsFor(['manager'])).toContain('webhook');
  });
});
