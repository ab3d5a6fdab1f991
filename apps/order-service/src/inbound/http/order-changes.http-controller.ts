import { Body, Controller, Delete, Headers, Param, Put, Query, Res, UseGuards, UsePipes } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPreconditionFailedResponse,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import {
  CancelOrderCommand,
  type ChangeOrigin,
  DeliverOrderCommand,
  GetOrderQuery,
  ShipOrderCommand,
} from '@app/ordering';
import type { FastifyReply } from 'fastify';
import { ApiKeyFingerprint } from './auth/api-key-fingerprint.js';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { CancelOrderRequest } from './dto/cancel-order.request.js';
import { ChangeStatusRequest } from './dto/change-status.request.js';
import { ErrorResponse } from './dto/error.response.js';
import { OrderResponse } from './dto/order.response.js';
import { answerOrder, requiredVersion } from './if-match.js';
import { JsonContentGuard } from './json-content.guard.js';
import { OrderIdPipe } from './order-id.pipe.js';
import { requestValidationPipe } from './request-validation.pipe.js';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description:
    'The ETag of GET /orders/{orderId}, e.g. "3": the change is made only if the order is still at that version.',
};

/**
 * REST for the back office (contract section 4.2): shipping, delivery and cancellation, each a
 * command; the answer is the order as GET /orders/{orderId} gives it right after the change.
 */
@ApiTags('orders')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No API key, or a wrong one.' })
@ApiBadRequestResponse({ type: ErrorResponse, description: 'A bad parameter or body field, named in the message.' })
@ApiNotFoundResponse({ type: ErrorResponse, description: 'No order has this id.' })
@ApiConflictResponse({ type: ErrorResponse, description: 'The order is in a status that does not allow the change.' })
@ApiPreconditionFailedResponse({ type: ErrorResponse, description: 'If-Match is no longer the current version.' })
@ApiParam({ name: 'orderId', format: 'uuid', description: "The service's order id (orderId of OrderCalculated)." })
@ApiHeader(IF_MATCH)
@UseGuards(ApiKeyGuard)
@UsePipes(requestValidationPipe())
@Controller('orders')
export class OrderChangesHttpController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Put(':orderId/status')
  @UseGuards(JsonContentGuard)
  @ApiOperation({ summary: 'Ship (PAID → SHIPPED), deliver (SHIPPED → DELIVERED) or cancel an order.' })
  @ApiOkResponse({ type: OrderResponse, description: 'The order after the change (or unchanged, if it had made it).' })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorResponse, description: 'The body is not application/json.' })
  async changeStatus(
    @Param('orderId', OrderIdPipe) orderId: string,
    @Body() request: ChangeStatusRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @ApiKeyFingerprint() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const expected = requiredVersion(ifMatch);
    const origin = backOffice(actor);
    const command =
      request.status === 'SHIPPED'
        ? new ShipOrderCommand(
            orderId,
            { carrier: request.carrier ?? null, trackingCode: request.trackingCode ?? null },
            origin,
            expected,
          )
        : request.status === 'DELIVERED'
          ? new DeliverOrderCommand(orderId, origin, expected)
          : new CancelOrderCommand(orderId, request.reason ?? null, origin, expected);
    await this.commandBus.execute(command);
    return this.answer(orderId, reply);
  }

  @Delete(':orderId')
  @ApiOperation({ summary: 'Cancel an order (CALCULATED, PAYMENT_FAILED or PAID → CANCELLED).' })
  @ApiOkResponse({ type: OrderResponse, description: 'The order after the cancellation.' })
  async cancel(
    @Param('orderId', OrderIdPipe) orderId: string,
    @Query() request: CancelOrderRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @ApiKeyFingerprint() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const expected = requiredVersion(ifMatch);
    await this.commandBus.execute(new CancelOrderCommand(orderId, request.reason ?? null, backOffice(actor), expected));
    return this.answer(orderId, reply);
  }

  /** Read-your-write: the read row was written in the change's own transaction. */
  private async answer(orderId: string, reply: FastifyReply): Promise<string> {
    return answerOrder(reply, await this.queryBus.execute(new GetOrderQuery(orderId)));
  }
}

function backOffice(actor: string): ChangeOrigin {
  return { source: 'http', actor, correlationId: null };
}
