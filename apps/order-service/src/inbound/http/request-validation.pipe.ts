import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

/**
 * class-validator on every query and path parameter. Unknown parameters are refused too, so a typo
 * such as `customerid=` gets a 400 naming it instead of silently listing every order.
 */
export function requestValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors: ValidationError[]) =>
      badParameters(
        errors.map((error) => ({
          parameter: error.property,
          messages: Object.values(error.constraints ?? {}).map((message) =>
            message.startsWith('property ') ? `${error.property} is not a parameter of this route` : message,
          ),
        })),
      ),
  });
}

/** The 400 of every bad parameter: one message naming them all, and each parameter's own messages. */
export function badParameters(problems: { parameter: string; messages: string[] }[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: problems.flatMap((problem) => problem.messages).join('; '),
    errors: problems,
  });
}
