import { BadRequestException, Body, Controller, Get, Post } from '@nestjs/common';
import {
  AllowClients,
  ClientRateLimit,
  CurrentToken,
  CurrentUser,
  DisallowApiKeys,
  IntrospectedUser,
  OptionalAuth,
  Public,
  RequireScopes,
  type AuthToken,
} from 'nestjs-multi-token-auth';
import { ShipmentsService, type Shipment } from './shipments.service';

/**
 * The orders service's routes, guarded by the library's global guard over introspection: the same
 * decorators as in the demo, whose tokens they accept. `@CurrentUser()` is the token's subject as
 * the demo's introspection gave it (`{id, username}`).
 */
@Controller()
export class ShipmentsController {
  constructor(private readonly shipments: ShipmentsService) {}

  /** Open: what the service answers with no token at all (the bench's baseline). */
  @Public()
  @Get('health')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Who the token says the caller is, as this service sees it. */
  @Get('whoami')
  whoami(@CurrentUser() user: IntrospectedUser, @CurrentToken() token: AuthToken): Record<string, unknown> {
    return {
      user: { id: user.id, username: user.username },
      client: token.client.name,
      scopes: token.scopes,
      tokenId: token.id,
      expiresAt: token.expiresAt,
    };
  }

  @RequireScopes('orders:read')
  @Get('shipments')
  list(@CurrentUser() user: IntrospectedUser): { shipments: Shipment[] } {
    return { shipments: this.shipments.list(user.id) };
  }

  /** Needs `orders:write`, and counts per user+client against `SHIPMENT_RATE` (429 past it). */
  @RequireScopes('orders:write')
  @ClientRateLimit()
  @Post('shipments')
  create(@CurrentUser() user: IntrospectedUser, @Body() body: { orderId?: unknown }): Shipment {
    if (typeof body?.orderId !== 'string' || body.orderId.length === 0 || body.orderId.length > 100) {
      throw new BadRequestException({
        statusCode: 400,
        code: 'validation_failed',
        message: ['orderId must be a string of 1 to 100 characters'],
      });
    }
    return this.shipments.create(user.id, body.orderId);
  }

  /** The phone app's tracking view: mobile tokens only (403 `client_not_allowed` for others). */
  @AllowClients('mobile')
  @DisallowApiKeys()
  @Get('tracking')
  tracking(@CurrentUser() user: IntrospectedUser): { shipments: number } {
    return { shipments: this.shipments.list(user.id).length };
  }

  /** Anyone; a signed-in caller sees their own count too. */
  @OptionalAuth()
  @Get('catalog')
  catalog(@CurrentUser() user: IntrospectedUser | undefined): { carriers: string[]; yourShipments: number | null } {
    return { carriers: ['post', 'courier'], yourShipments: user ? this.shipments.list(user.id).length : null };
  }
}
