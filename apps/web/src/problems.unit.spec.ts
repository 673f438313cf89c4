import { fieldErrorsOf, problemMessage, splitByFields } from './problems';

describe('problem+json answers, in words at the fields', () => {
  it('puts each invalid field of a 400 at its field, in the user’s language', () => {
    const errors = fieldErrorsOf({
      status: 400,
      code: 'VALIDATION_FAILED',
      errors: [
        { field: 'occurredOn', message: 'occurredOn must be a date as YYYY-MM-DD' },
        { field: 'occurredOn', message: 'occurredOn must be a valid ISO 8601 date string' },
        { field: 'reason', message: 'reason must be one of the following values: other' },
        { field: 'familyMembers.0.niss', message: 'niss must be 11 digits' },
        { field: 'note', message: 'property note should not exist' },
      ],
    });
    expect(errors).toEqual({
      occurredOn: { key: 'validation.date' },
      reason: { key: 'validation.choice' },
      'familyMembers.0.niss': { key: 'validation.niss' },
      note: { text: 'property note should not exist' },
    });
  });

  it('says a text the API found too long is too long, with its maximum, not that it is missing', () => {
    const errors = fieldErrorsOf({
      status: 400,
      code: 'VALIDATION_FAILED',
      errors: [
        {
          field: 'familyMembers.0.firstName',
          message: 'firstName must be shorter than or equal to 100 characters',
        },
        { field: 'title', message: 'must be at most 200 characters' },
        { field: 'sharingWith', message: 'sharingWith must contain no more than 100 elements' },
        {
          field: 'name',
          message: 'name must not contain a NUL character or a lone surrogate',
        },
      ],
    });
    expect(errors).toEqual({
      'familyMembers.0.firstName': { key: 'validation.tooLong', params: { n: 100 } },
      title: { key: 'validation.tooLong', params: { n: 200 } },
      sharingWith: { key: 'validation.tooMany', params: { n: 100 } },
      name: { key: 'validation.characters' },
    });
  });

  it('puts a refused rule (422) at the field it names, with its code’s message', () => {
    expect(
      fieldErrorsOf({
        status: 422,
        code: 'OCCURRED_IN_FUTURE',
        errors: [{ field: 'occurredOn', message: 'occurredOn 2026-11-21 is after today' }],
      }),
    ).toEqual({ occurredOn: { key: 'problem.OCCURRED_IN_FUTURE' } });
  });

  it('strips the dry run’s `event.` prefix', () => {
    const errors = fieldErrorsOf(
      { status: 400, errors: [{ field: 'event.reason', message: 'RisSuppressed has no field x' }] },
      'event.',
    );
    expect(Object.keys(errors)).toEqual(['reason']);
  });

  it('says what a problem without fields means', () => {
    expect(problemMessage({ status: 409, code: 'VERSION_CONFLICT' })).toEqual({
      key: 'problem.VERSION_CONFLICT',
    });
    expect(problemMessage({ status: 403 })).toEqual({ key: 'problem.forbidden' });
    expect(problemMessage({ status: 0, code: 'NETWORK' })).toEqual({ key: 'problem.network' });
    expect(problemMessage({ status: 502 })).toEqual({
      key: 'problem.generic',
      params: { status: 502 },
    });
  });

  it('keeps for the form the fields it shows, and the rest as general messages', () => {
    const { atFields, elsewhere } = splitByFields(
      { occurredOn: { key: 'validation.date' }, caseId: { text: 'bad' } },
      ['occurredOn', 'reason'],
    );
    expect(atFields).toEqual({ occurredOn: { key: 'validation.date' } });
    expect(elsewhere).toEqual([{ text: 'bad' }]);
  });
});

describe('a field’s own code', () => {
  it('words a refused webhook address or protocol value by its code and parameters, not its English', () => {
    expect(
      fieldErrorsOf({
        status: 400,
        code: 'VALIDATION_FAILED',
        errors: [
          { field: 'url', message: 'url must use https', code: 'WEBHOOK_URL_NOT_HTTPS' },
          {
            field: 'rules[0].deadline.workingDays',
            message: 'must be >= 0 (line 12)',
            code: 'PROTOCOL_AT_LEAST',
            params: { n: 0, line: 12 },
          },
        ],
      }),
    ).toEqual({
      url: { key: 'problem.WEBHOOK_URL_NOT_HTTPS' },
      'rules[0].deadline.workingDays': {
        key: 'problem.PROTOCOL_AT_LEAST',
        params: { n: 0, line: 12 },
      },
    });
  });
});
