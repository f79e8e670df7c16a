import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from 'nestjs-multi-token-auth';
import { AccountHeaders } from './account-headers.decorator';
import { ACCOUNT_ICON } from './account.icon';
import { ACCOUNT_PAGE } from './account.page';
import { ACCOUNT_SCRIPTS } from './account.scripts';
import { ACCOUNT_STYLES } from './account.styles';

/**
 * The demo's account page at `/account`: a static page and its assets, all public. Everything it
 * shows and does goes through the library's own routes (`/auth/login`, `/auth/sessions`,
 * `/auth/api-keys`…) by the cookie transport; this controller holds no logic of its own.
 */
@Public()
// A page for people, not an API: left out of the OpenAPI document.
@ApiExcludeController()
@Controller('account')
export class AccountController {
  @Get()
  @AccountHeaders('text/html; charset=utf-8')
  page(): string {
    return ACCOUNT_PAGE;
  }

  @Get('account.css')
  @AccountHeaders('text/css; charset=utf-8')
  styles(): string {
    return ACCOUNT_STYLES;
  }

  @Get('favicon.svg')
  @AccountHeaders('image/svg+xml; charset=utf-8')
  icon(): string {
    return ACCOUNT_ICON;
  }

  /** The page's ES modules (`main.js` imports the others), served as they are: no build step. */
  @Get('js/:module')
  @AccountHeaders('text/javascript; charset=utf-8')
  script(@Param('module') module: string): string {
    const source = ACCOUNT_SCRIPTS.get(module);
    if (source === undefined) throw new NotFoundException();
    return source;
  }
}
