// What a user sends about their own account.
import { CurrentPasswordField, EmailField, FullNameField, PasswordField, UsernameField } from './fields.js';

export class SignUpRequest {
  @UsernameField()
  username: string;

  @PasswordField()
  password: string;

  @EmailField()
  email?: string | null;

  @FullNameField()
  full_name?: string | null;
}

export class UpdateMeRequest {
  @EmailField()
  email?: string | null;

  @FullNameField()
  full_name?: string | null;
}

export class UpdatePasswordRequest {
  @CurrentPasswordField()
  current_password: string;

  @PasswordField()
  new_password: string;
}

export class DeleteMeRequest {
  @CurrentPasswordField()
  current_password: string;
}
