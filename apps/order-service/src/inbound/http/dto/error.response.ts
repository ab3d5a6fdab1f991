import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ParameterErrorResponse {
  @ApiProperty({ example: 'limit' })
  parameter: string;

  @ApiProperty({ example: ['limit must be an integer between 1 and 500'] })
  messages: string[];
}

/** Every error of the API has this body. */
export class ErrorResponse {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ example: 'Bad Request' })
  error: string;

  @ApiProperty({ example: 'limit must be an integer between 1 and 500' })
  message: string;

  @ApiPropertyOptional({ type: [ParameterErrorResponse], description: 'One entry per bad parameter.' })
  errors?: ParameterErrorResponse[];
}
