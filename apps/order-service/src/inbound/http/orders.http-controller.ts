import { Controller, Get, Param, Query, Res, UseGuards, UsePipes } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import {
  GetOrderHistoryQuery,
  GetOrderQuery,
  GetOrderStatsQuery,
  ListOrdersQuery,
  type OrderHistory,
} from '@app/ordering';
import type { FastifyReply } from 'fastify';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { ErrorResponse } from './dto/error.response.js';
import { DEFAULT_PAGE_SIZE, ListOrdersRequest } from './dto/list-orders.request.js';
import { OrderIdPipe } from './order-id.pipe.js';
import { OrderPageResponse } from './dto/order-page.response.js';
import { OrderStatsRequest } from './dto/order-stats.request.js';
import { OrderStatsResponse } from './dto/order-stats.response.js';
import { OrderHistoryResponse } from './dto/order-history.response.js';
import { OrderResponse } from './dto/order.response.js';
import { answerOrder } from './if-match.js';
import { OrderCursor } from './order-cursor.js';
import { requestValidationPipe } from './request-validation.pipe.js';

/** REST for product B (contract sections 3 and 4.4): queries only, each answered from the read tables. */
@ApiTags('orders')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No API key, or a wrong one.' })
@ApiBadRequestResponse({ type: ErrorResponse, description: 'A bad parameter, named in the message.' })
@UseGuards(ApiKeyGuard)
@UsePipes(requestValidationPipe())
@Controller('orders')
export class OrdersHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('stats')
  @ApiOperation({ summary: 'Counts per status and the sum of totals per currency, for a received window.' })
  @ApiOkResponse({ type: OrderStatsResponse })
  async stats(@Query() request: OrderStatsRequest): Promise<OrderStatsResponse> {
    const { receivedFrom, receivedTo } = request.receivedRange();
    const statistics = await this.queryBus.execute(new GetOrderStatsQuery(receivedFrom, receivedTo));
    return {
      receivedFrom: receivedFrom?.toISOString() ?? null,
      receivedTo: receivedTo?.toISOString() ?? null,
      ...statistics,
    };
  }

  @Get(':orderId')
  @ApiOperation({ summary: 'One order with its items, status, timestamps and version (also its ETag).' })
  @ApiOkResponse({ type: OrderResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No order has this id.' })
  @ApiParam({ name: 'orderId', format: 'uuid', description: "The service's order id (orderId of OrderCalculated)." })
  async get(
    @Param('orderId', OrderIdPipe) orderId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return answerOrder(reply, await this.queryBus.execute(new GetOrderQuery(orderId)));
  }

  @Get(':orderId/history')
  @ApiOperation({ summary: 'Every status the order took, oldest first, with who changed it.' })
  @ApiOkResponse({ type: OrderHistoryResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No order has this id.' })
  @ApiParam({ name: 'orderId', format: 'uuid', description: "The service's order id (orderId of OrderCalculated)." })
  history(@Param('orderId', OrderIdPipe) orderId: string): Promise<OrderHistory> {
    return this.queryBus.execute(new GetOrderHistoryQuery(orderId));
  }

  @Get()
  @ApiOperation({ summary: 'Orders newest first, filtered, one keyset page at a time.' })
  @ApiOkResponse({ type: OrderPageResponse })
  async list(@Query() request: ListOrdersRequest): Promise<OrderPageResponse> {
    const after = request.cursor === undefined ? null : OrderCursor.decode(request.cursor);
    const filter = {
      status: request.status,
      customerId: request.customerId,
      externalId: request.externalId,
      ...request.receivedRange(),
    };
    const page = await this.queryBus.execute(new ListOrdersQuery(filter, request.limit ?? DEFAULT_PAGE_SIZE, after));
    return { data: page.data, nextCursor: page.next && OrderCursor.encode(page.next) };
  }
}
