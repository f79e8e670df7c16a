/** The shape of Django REST framework's authtoken keys (and its many copies): 40 lower-case hex characters. */
export const DRF_TOKEN_FORMAT = /[0-9a-f]{40}/;
