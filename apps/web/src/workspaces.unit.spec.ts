import { adminSectionsFor, workspacesFor } from './workspaces';

describe('the workspaces each role opens', () => {
  it.each([
    [['social_worker'], ['cases', 'inbox', 'outgoing', 'coordination']],
    [['saj_delegate'], ['cases', 'inbox', 'outgoing', 'coordination']],
    [['manager'], ['inbox', 'outgoing', 'dashboard', 'coordination', 'admin']],
    [['coordinator'], ['dashboard', 'coordination', 'admin']],
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
