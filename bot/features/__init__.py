"""One manifest per feature; :mod:`bot.app` lists them and builds the bot from the list."""
