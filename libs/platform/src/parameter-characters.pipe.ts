import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import {
  forbiddenCharactersMessage,
  hasForbiddenCharacters,
  inspectInput,
} from './input-inspection';
import { InvalidInputException } from './problem-details.filter';

/**
 * Path and query parameters hold no NUL and no lone surrogate, whichever route takes them: a 400
 * naming the parameter. (Bodies are inspected as they are parsed; see `jsonBodyParser`.)
 */
@Injectable()
export class ParameterCharactersPipe implements PipeTransform<unknown, unknown> {
  transform(value: unknown, { type, data }: ArgumentMetadata): unknown {
    if (type !== 'param' && type !== 'query') return value;
    if (typeof value === 'string') {
      if (hasForbiddenCharacters(value)) {
        const field = data ?? type;
        throw new InvalidInputException([{ field, message: forbiddenCharactersMessage(field) }]);
      }
      return value;
    }
    const problem = inspectInput(data === undefined ? value : { [data]: value });
    if (problem?.kind === 'characters') throw new InvalidInputException(problem.errors);
    return value;
  }
}
