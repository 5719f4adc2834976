echo cafÃ© ÿş broken utf-8 â‚
