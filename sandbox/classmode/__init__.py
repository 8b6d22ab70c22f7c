"""classmode"""
